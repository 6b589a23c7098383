// scale-out and scale-in on a real local topology (redis-2 with its spare server_3): the node
// starts or stops, nginx reloads, and which nodes answer through the balancer follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTopology } from '../../../runner/backend.ts';
import { leftAsFound } from '../../../runner/as-found.ts';
import { untilBalancerReaches } from '../../../runner/balancer-reach.ts';
import { scaleIn } from '../../../runner/faults/scale-in.ts';
import { scaleOut } from '../../../runner/faults/scale-out.ts';
import { startLocalTopology } from '../../../runner/local/backend.ts';
import { loadTopology } from '../../../runner/topology.ts';

/** Which nodes answer 30 requests through the balancer. */
async function nodesAnswering(running: RunningTopology): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const answer = await fetch(`${running.balancerUrl}/healthz`);
    await answer.body?.cancel();
    seen.add(answer.headers.get('x-served-by') ?? `status ${answer.status}`);
  }
  return [...seen].sort();
}

describe('scale-out and scale-in', () => {
  let running: RunningTopology;
  beforeAll(async () => {
    running = await startLocalTopology(loadTopology('redis-2'));
  }, 60_000);
  afterAll(() => running?.down());

  it('leaves the spare node down at start, and the balancer without it', async () => {
    expect(await running.service('server_3').status!()).toBe('down');
    expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2']);
    expect(await nodesAnswering(running)).toEqual(['server_1', 'server_2']);
  });

  it('scale-out starts the spare node and the balancer sends to it', async () => {
    await scaleOut(running, '');
    expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2', 'server_3']);
    expect((await untilBalancerReaches(running, ['server_3'], 'test')).reached.has('server_3')).toBe(true);
    expect(await nodesAnswering(running)).toEqual(['server_1', 'server_2', 'server_3']);
  });

  it('refuses a second scale-out when no spare is left, and changes nothing', async () => {
    await expect(scaleOut(running, '')).rejects.toThrow('redis-2 has no spare node left to add');
    expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2', 'server_3']);
  });

  it('scale-in takes the node off the list, then stops it', async () => {
    await scaleIn(running, 'server_3');
    expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2']);
    expect(await running.service('server_3').status!()).toBe('down');
    expect(await nodesAnswering(running)).toEqual(['server_1', 'server_2']);
  });

  it('scale-in hard kills the node first', async () => {
    await scaleIn(running, 'server_2 hard');
    expect(running.balancer!.nodes()).toEqual(['server_1']);
    expect(await running.service('server_2').status!()).toBe('down');
    expect(await nodesAnswering(running)).toEqual(['server_1']);
  });

  it('refuses a node the balancer does not list, or a bad way', async () => {
    await expect(scaleIn(running, 'server_3')).rejects.toThrow('server_3 is not behind the balancer (it lists server_1)');
    await expect(scaleIn(running, 'server_1 gently')).rejects.toThrow('scale-in takes a node and optionally "hard"');
  });
}, 60_000);

describe('on a topology that must be left as found', () => {
  it('puts the balancer’s list back and stops the spare node a scale-out started', async () => {
    const running = await startLocalTopology(loadTopology('redis-2'));
    try {
      const shared = await leftAsFound(running);
      await scaleOut(shared, '');
      await scaleIn(shared, 'server_2');
      expect(running.balancer!.nodes()).toEqual(['server_1', 'server_3']);
      await shared.down();
      expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2']);
      expect([await running.service('server_2').status!(), await running.service('server_3').status!()]).toEqual(['up', 'down']);
      expect(await nodesAnswering(running)).toEqual(['server_1', 'server_2']);
    } finally {
      await running.down();
    }
  }, 60_000);
});
