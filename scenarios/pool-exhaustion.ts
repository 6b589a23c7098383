import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { poolVerdict } from './shop/checkers/pool.ts';
import { writeWhile } from './shop/load.ts';

// Every node keeps a pool of PostgreSQL connections (DATABASE_POOL_MAX), and PostgreSQL takes at
// most max_connections. Under load each pool fills; a node that joins then finds too few left, and
// the requests it cannot give a connection fail ("sorry, too many clients already"), at once: a
// 503, not a hang. node-postgres's users meet it as "sorry, too many clients already", and the fix
// it names is pools that stay under max_connections
// (https://github.com/brianc/node-postgres/issues/557, #1289); a blue/green deploy doubles the
// pools the same way.
async function joinUnderLoad(lab: Lab): Promise<void> {
  await writeWhile(lab, 18, async () => {
    await lab.wait(1000, 'the pools fill under writes');
    await lab.fault('scale-out', '');
    await lab.wait(1500, 'server_3 takes its share');
  });
}

export const poolExhaustion: Scenario<ShopOp> = {
  name: 'pool-exhaustion',
  summary: 'postgres-2-max-connections (max_connections 20, pools of 8): under writes server_3 joins, its pool finds too few connections left, and its requests fail fast with 503.',
  topology: 'postgres-2-max-connections',
  expected: 'pool-exhausted',
  fresh: 'it adds a node',
  run: joinUnderLoad,
  check: poolVerdict,
};

// The remedy: pools sized so that every node's, the one that joins included, fit (3 × 6 ≤ 20).
export const poolExhaustionSized: Scenario<ShopOp> = {
  ...poolExhaustion,
  name: 'pool-exhaustion-sized',
  summary: 'postgres-2-pools-add-up (pools of 6): the same scale-out under writes; three pools fit in 20 connections, and no request fails.',
  topology: 'postgres-2-pools-add-up',
  expected: 'no-request-failed',
};
