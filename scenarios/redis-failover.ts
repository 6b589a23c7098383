import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { failoverVerdict } from './shop/checkers/failover.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';

// 8 devices write continuously to redis-ha-2. The replica stops for 0.7 s (paused: a GC pause, a
// slow disk), the primary gets kill -9 while it is stopped, then the replica goes on. The sentinels
// promote it about a second and a half later and the nodes follow; the old primary comes back as the
// new replica. Replication is asynchronous, yet a killed primary had already written every
// acknowledged write to the replica's socket, and the kernel kept it for the paused replica: nothing
// is lost. Losing acknowledged writes takes a replica cut off from its primary (a partition), which
// killing processes on one machine cannot produce.
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
  summary: 'redis-ha-2: kill -9 of the Redis primary under writes while its replica is paused; Sentinel promotes the replica, the nodes follow within seconds, and no acknowledged write is lost.',
  topology: 'redis-ha-2',
  expected: 'failed-over-nothing-lost',
  run: (lab) => writeUnderFaults(lab, failoverPlan),
  check: failoverVerdict,
};

// The same with REDIS_WAIT_REPLICAS=1: a write is answered only once the replica confirms it (WAIT),
// which holds through a partition too. The price shows here: the writes of the paused 0.7 s answer
// 503 instead of being acknowledged, and after the promotion no write succeeds while the new primary
// has no replica, until the old one is back and the sentinels make it one (they wait 8 s before
// reconfiguring a returning primary); the load runs on until a write succeeds again.
export const redisFailoverWait: Scenario<ShopOp> = {
  ...redisFailover,
  run: (lab) => writeUnderFaults(lab, { ...failoverPlan, maxDurationMs: 25_000 }),
  name: 'redis-failover-wait',
  summary: 'redis-ha-2-wait: the same failover with each write waiting for the replica (WAIT 1): no acknowledged write is lost, and no write succeeds while no replica confirms it.',
  topology: 'redis-ha-2-wait',
  expected: 'failed-over-nothing-lost',
};
