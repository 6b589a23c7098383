// Every scenario end to end through the local backend: real nginx, nodes, stores; the verdict
// is what the checker read from what the devices saw.
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { redisShared } from '../../scenarios/redis-shared.ts';
import { localLacks, startLocalTopology } from '../../runner/local/backend.ts';
import { runScenario, type ScenarioResult, type StartTopology } from '../../runner/scenario.ts';
import { namespacesClaimedBy, survivors } from '../support/survivors.ts';

// As the CLI starts them: a scenario that needs network faults gets a network namespace per service.
const start: StartTopology = (topology, needs) => startLocalTopology(topology, { isolatedNetwork: needs?.includes('network-faults') });
// What this machine cannot give (not root: no namespaces); a scenario that needs it is skipped, with the reason.
const lacks = localLacks();

describe('the scenarios, run for real', () => {
  // One run per kind is enough here (`npm run lab -- run all` runs every one): these repeat another
  // scenario's steps and checker on another store or configuration, whose own tests cover it, or
  // change the fleet as scale-in-drained does (scale-out and scale-in have tests of their own).
  const sameKindAsAnother = new Set([
    'login-keeps-cart-postgres',
    'login-drops-cart',
    'probe-session-flood-redis',
    'probe-session-flood-remedy',
    'logout-resurrection-postgres',
    'logout-stays-ended',
    'logout-stays-ended-touch',
    'logout-stays-ended-postgres',
    'redirect-before-save-redis',
    'redirect-after-save',
    'store-ttl-outlives-cookie',
    'store-ttl-with-cookie',
    'atomic-cart-postgres',
    'kill-under-load-postgres',
    'postgres-outage',
    'postgres-partition',
    'node-store-partition-next-upstream',
    'clock-skew-cookie',
    'clock-skew-redis',
    'clock-skew-token',
    'sticky-nat',
    'redis-crash-rdb',
    'redis-restart-aof',
    'redis-failover-wait',
    'redis-split-brain-min-replicas',
    'redis-split-brain-wait',
    'rolling-deploy-tolerant',
    'redis-eviction-volatile-lru',
    'redis-eviction-noeviction',
    'redis-eviction-separate',
    'sticky-scale-out',
    'sticky-scale-out-ip',
    'scale-in-hard',
    'pool-exhaustion',
    'pool-exhaustion-sized',
  ]);

  const results = new Map<string, ScenarioResult>();
  describe.each(scenarios.filter((s) => !sameKindAsAnother.has(s.name)).map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    let result: ScenarioResult;
    beforeAll(async () => {
      result = await runScenario(scenario, { start, lacks });
      results.set(scenario.name, result);
    }, 120_000);

    it('observes what it expects, or is skipped because this machine lacks what it needs', () => {
      const need = scenario.needs?.find((n) => lacks[n] !== undefined);
      if (need) expect(result.skipped).toBe(`needs ${need}: ${lacks[need]}`);
      else expect({ observed: result.observed, error: result.error }).toEqual({ observed: scenario.expected, error: undefined });
    });

    it('leaves no process and no network namespace of its run behind', () => {
      if (result.runDir) expect(survivors(result.runDir)).toEqual([]);
      expect(namespacesClaimedBy(process.pid)).toEqual([]);
    });
  });

  it('redis-failover starts the old primary again only after server_1 found its store again (the promoted replica)', () => {
    const history = results.get('redis-failover')!.history;
    const kill = history.find((op) => op.action === 'kill')!;
    const restart = history.find((op) => op.action === 'start' && op.index > kill.index)!;
    const answered = history.filter((op) => op.action === 'probe' && op.index > kill.index && op.index < restart.index && op.status === 200);
    expect(answered.map((op) => op.servedBy)).toEqual(['server_1']);
    expect(answered[0]!.endedMs).toBeLessThanOrEqual(restart.startedMs);
  });

  it('file-round-robin reports lost sessions on both nodes', async () => {
    const result = await runScenario(scenarios.find((s) => s.name === 'file-round-robin')!, { start });
    const perNode = result.metrics.perNode as Record<string, { requests: number; lostSessions: number }>;
    expect(Object.keys(perNode).sort()).toEqual(['server_1', 'server_2']);
    for (const node of Object.values(perNode)) expect(node.lostSessions).toBeGreaterThan(0);
  });

  it('fails when the topology does not keep its promise: the shared-store steps on per-node files lose the cart', async () => {
    const result = await runScenario({ ...redisShared, topology: 'file-2' }, { start });
    expect(result.observed).toBe('cart-lost');
    expect(result.passed).toBe(false);
  });
});
