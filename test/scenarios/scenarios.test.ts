// Every scenario end to end through the local backend: real nginx, nodes, stores; the verdict
// is what the checker read from what the devices saw.
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { redisShared } from '../../scenarios/redis-shared.ts';
import { startLocalTopology } from '../../runner/local/backend.ts';
import { runScenario, type ScenarioResult } from '../../runner/scenario.ts';
import { survivors } from '../support/survivors.ts';

const start = (topology: Parameters<typeof startLocalTopology>[0]) => startLocalTopology(topology);

describe('the scenarios, run for real', () => {
  // One run per kind is enough here (`npm run lab -- run all` runs every one): these repeat another
  // scenario's steps and checker on another store, whose own tests cover that store.
  const sameKindAsAnother = new Set(['atomic-cart-postgres', 'kill-under-load-postgres', 'postgres-outage', 'redis-restart-aof', 'redis-failover-wait']);

  describe.each(scenarios.filter((s) => !sameKindAsAnother.has(s.name)).map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    let result: ScenarioResult;
    beforeAll(async () => {
      result = await runScenario(scenario, { start });
    }, 120_000);

    it('observes what it expects', () => {
      expect({ observed: result.observed, error: result.error }).toEqual({ observed: scenario.expected, error: undefined });
    });

    it('leaves no process of its run behind', () => {
      expect(survivors(result.runDir!)).toEqual([]);
    });
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
