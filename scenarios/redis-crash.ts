import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { storeCrashVerdict } from './shop/checkers/store-crash.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';

// kill -9 of Redis under continuous writes, started again a moment later.
const crashPlan: LoadPlan = {
  devices: 8,
  durationMs: 4500,
  maxDurationMs: 8000,
  faults: [
    { atMs: 3000, fault: 'kill', target: 'redis' },
    { atMs: 3500, fault: 'start', target: 'redis' },
  ],
};

// RDB snapshots only (save 2 1): a killed Redis comes back with its last snapshot, and every write
// acknowledged since then is gone.
export const redisCrashRdb: Scenario<ShopOp> = {
  name: 'redis-crash-rdb',
  summary: 'redis-2-rdb (snapshots every 2 s): kill -9 of Redis under writes loses every acknowledged write since the last snapshot.',
  topology: 'redis-2-rdb',
  expected: 'writes-lost',
  run: (lab) => writeUnderFaults(lab, crashPlan),
  check: storeCrashVerdict,
};

// appendfsync everysec: Redis hands each write to the kernel before it answers and fsyncs once a
// second. A killed process loses nothing: the kernel still writes what it was handed. Only a
// power or kernel failure can lose the last second, which a process kill cannot show.
export const redisCrashAof: Scenario<ShopOp> = {
  ...redisCrashRdb,
  name: 'redis-crash-aof',
  summary: 'redis-2-aof (appendfsync everysec): kill -9 of Redis under writes loses no acknowledged write.',
  topology: 'redis-2-aof',
  expected: 'no-write-lost',
};
