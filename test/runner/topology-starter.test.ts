// Which topology each scenario of a run gets: started ahead (in the background), shared with the
// scenario before it (and left as found for the next), or attached; recorded with a fake backend.
import { describe, expect, it } from 'vitest';
import type { RunningTopology, ServiceControl } from '../../runner/backend.ts';
import type { Scenario, StartWish } from '../../runner/scenario.ts';
import { TopologyStarter, type Backend } from '../../runner/topology-starter.ts';
import type { Topology } from '../../runner/topology.ts';

function scenario(name: string, topology: string, extra: Partial<Scenario> = {}): Scenario {
  return { name, summary: '', topology, expected: 'ok', run: async () => {}, check: () => ({ observed: 'ok', metrics: {} }), ...extra };
}

/** Records every start (with its wish), every foreground and every down. */
function fakeBackend(attachTo: string[] = []): Backend & { log: string[] } {
  const log: string[] = [];
  let starts = 0;
  return {
    log,
    wouldAttach: async (topology) => attachTo.includes(topology.name),
    start: async (topology: Topology, _needs, wish: StartWish = {}) => {
      const id = `${topology.name}#${++starts}`;
      const attached = attachTo.includes(topology.name) && !wish.fresh ? `the running project ${topology.name}` : undefined;
      log.push(`start ${id}${attached ? ' (attached)' : ''}`);
      const control: ServiceControl = { start: async () => {}, stop: async () => {}, status: async () => 'up' };
      const running: RunningTopology = {
        topology,
        balancerUrl: 'http://127.0.0.1:9',
        runDir: id,
        probe: async () => ({ status: 200, servedBy: undefined, body: {} }),
        service: () => control,
        ...(attached ? { attached } : {}),
        down: async () => void log.push(`down ${id}`),
      };
      return running;
    },
  };
}

/** What the CLI does with the starter: a scenario whose need is lacking is skipped without a start. */
async function runAll(starter: TopologyStarter, chosen: readonly Scenario[], log: string[], skipped: string[] = []): Promise<void> {
  for (const [index, s] of chosen.entries()) {
    if (skipped.includes(s.name)) continue;
    const running = await starter.for(index)({ name: s.topology, file: '', services: [] }, [], {});
    log.push(`${s.name} on ${running.runDir}`);
    await running.down();
  }
  await starter.close();
}

describe('the topology starter', () => {
  it('under compose, shares one start among consecutive scenarios of a topology, and starts nothing ahead', async () => {
    const backend = fakeBackend();
    const chosen = [scenario('a1', 'memory-1'), scenario('a2', 'memory-1'), scenario('b1', 'file-1')];
    await runAll(new TopologyStarter(backend, chosen, {}, false, true), chosen, backend.log);
    expect(backend.log).toEqual([
      'start memory-1#1',
      'a1 on memory-1#1',
      // a1's own down only put back what it changed; the project itself stays for a2.
      'a2 on memory-1#1',
      'down memory-1#1',
      'start file-1#2',
      'b1 on file-1#2',
      'down file-1#2',
    ]);
  });

  it('never shares with a repeat of the same scenario, nor with one that needs a fresh topology', async () => {
    const backend = fakeBackend();
    const chosen = [scenario('a1', 'memory-1'), scenario('a1', 'memory-1'), scenario('a2', 'memory-1', { fresh: 'a heap of its own' })];
    await runAll(new TopologyStarter(backend, chosen, {}, false, true), chosen, backend.log);
    expect(backend.log.filter((line) => line.includes(' on '))).toEqual(['a1 on memory-1#1', 'a1 on memory-1#2', 'a2 on memory-1#3']);
  });

  it('locally starts the next topology ahead and never shares', async () => {
    const backend = fakeBackend();
    const chosen = [scenario('a1', 'memory-1'), scenario('a2', 'memory-1')];
    await runAll(new TopologyStarter(backend, chosen, {}, false, false), chosen, backend.log);
    expect(backend.log).toEqual(['start memory-1#1', 'start memory-1#2', 'a1 on memory-1#1', 'down memory-1#1', 'a2 on memory-1#2', 'down memory-1#2']);
  });

  it.each([false, true])('never starts ahead a topology the next scenario would attach to, and never shares one attached to (compose: %s)', async (share) => {
    const backend = fakeBackend(['memory-1']);
    const chosen = [scenario('b1', 'file-1'), scenario('a1', 'memory-1'), scenario('a2', 'memory-1')];
    await runAll(new TopologyStarter(backend, chosen, {}, false, share), chosen, backend.log);
    // Attached when its scenario came, not ahead during b1's; each scenario attaches anew.
    expect(backend.log.indexOf('start memory-1#2 (attached)')).toBeGreaterThan(backend.log.indexOf('down file-1#1'));
    expect(backend.log.filter((line) => line.includes(' on '))).toEqual(['b1 on file-1#1', 'a1 on memory-1#2', 'a2 on memory-1#3']);
  });

  it('brings down a topology started ahead for a scenario that was then skipped', async () => {
    const backend = fakeBackend();
    const chosen = [scenario('a1', 'memory-1'), scenario('b1', 'file-1', { needs: ['client-addresses'] }), scenario('c1', 'cookie-2')];
    const starter = new TopologyStarter(backend, chosen, { 'client-addresses': 'none here' }, false, false);
    await runAll(starter, chosen, backend.log, ['b1']);
    // b1 lacks what it needs: nothing is started ahead for it, and nothing is left up at the end.
    expect(backend.log.filter((line) => line.startsWith('start file-1'))).toEqual([]);
    const started = backend.log.filter((line) => line.startsWith('start')).length;
    expect(backend.log.filter((line) => line.startsWith('down')).length).toBe(started);
  });
});
