import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { storeCrashVerdict } from './shop/checkers/store-crash.ts';
import { writeUnderFaults } from './shop/load.ts';

// Redis without persistence keeps sessions in memory only: a restart (a deploy, an upgrade)
// empties it, and every anonymous session and cart is gone, on every node at once. Two of the
// six devices are logged in: their carts live with the user in PostgreSQL and lose nothing.
export const redisRestart: Scenario<ShopOp> = {
  name: 'redis-restart',
  summary: 'redis-2 (no persistence): Redis restarts; every anonymous session and cart is gone, on every node; logged-in users lose nothing.',
  topology: 'redis-2',
  expected: 'writes-lost',
  run: (lab) => writeUnderFaults(lab, { devices: 6, loggedIn: 2, durationMs: 3000, maxDurationMs: 6000, faults: [{ atMs: 1000, fault: 'restart', target: 'redis' }] }),
  check: storeCrashVerdict,
};

// With an append-only file, the restarted Redis reads every write back.
export const redisRestartAof: Scenario<ShopOp> = {
  ...redisRestart,
  name: 'redis-restart-aof',
  summary: 'redis-2-aof: Redis restarts and reads its append-only file back: every session and cart is kept.',
  topology: 'redis-2-aof',
  expected: 'no-write-lost',
};
