import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { failoverVerdict } from './shop/checkers/failover.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';

// 8 devices write continuously to redis-ha-2. The replica falls behind for half a second (paused,
// as a slow disk or a congested link would make it), the primary gets kill -9 while it is behind,
// then the replica catches up with nothing more to catch. The sentinels promote it a second or so
// later; the nodes follow. Replication is asynchronous: what the primary acknowledged in that half
// second never reached the replica and is gone. The old primary comes back as the new replica.
const failoverPlan: LoadPlan = {
  devices: 8,
  durationMs: 7000,
  maxDurationMs: 12_000,
  faults: [
    { atMs: 1500, fault: 'pause', service: 'redis_replica' },
    { atMs: 2000, fault: 'kill', service: 'redis' },
    { atMs: 2200, fault: 'resume', service: 'redis_replica' },
    { atMs: 5000, fault: 'start', service: 'redis' },
  ],
};

export const redisFailover: Scenario<ShopOp> = {
  name: 'redis-failover',
  summary: 'redis-ha-2: kill -9 of the Redis primary while its replica lags; Sentinel promotes the replica, the nodes follow, and the writes it never received are lost.',
  topology: 'redis-ha-2',
  expected: 'failed-over-writes-lost',
  run: (lab) => writeUnderFaults(lab, failoverPlan),
  check: failoverVerdict,
};

// The same with REDIS_WAIT_REPLICAS=1: a write is answered only once the replica has it (WAIT), so
// the writes of the lagging half second answer 503 instead of being acknowledged, and nothing
// acknowledged is lost. The price: a round trip to the replica on every write, and no write at
// all while no replica answers: after the promotion the new primary has none until the old one is
// back and the sentinels make it a replica (they wait 8 s before reconfiguring a returning
// primary), so the load runs on until a write succeeds again.
export const redisFailoverWait: Scenario<ShopOp> = {
  ...redisFailover,
  run: (lab) => writeUnderFaults(lab, { ...failoverPlan, maxDurationMs: 25_000 }),
  name: 'redis-failover-wait',
  summary: 'redis-ha-2-wait: the same failover with each write waiting for the replica (WAIT 1): the lagging writes answer 503, no acknowledged write is lost.',
  topology: 'redis-ha-2-wait',
  expected: 'failed-over-nothing-lost',
};
