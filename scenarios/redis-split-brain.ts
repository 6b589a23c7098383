import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { boundedSplitBrainVerdict, splitBrainVerdict } from './shop/checkers/failover.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';
import { sentinelRolesNotRestored } from './redis-failover.ts';

// 8 devices write continuously. The Redis primary is cut off from its replica and the three
// Sentinels, but not from the nodes: it goes on acknowledging their writes. The Sentinels no longer
// hear it, promote the replica about a second and a half later, and tell the nodes, which move to
// the new primary. Whatever the old one acknowledged since the cut never reached the replica; when
// the partition heals, the Sentinels make the old primary a replica of the new one and its copy of
// those writes is overwritten. Two primaries accepted writes at once: a split brain.
const cut = 'redis | redis_replica sentinel_1 sentinel_2 sentinel_3';
const splitBrainPlan: LoadPlan = {
  devices: 8,
  durationMs: 7000,
  maxDurationMs: 25_000,
  faults: [
    { atMs: 1500, fault: 'partition', target: cut },
    { atMs: 5000, fault: 'heal', target: '' },
  ],
};

export const redisSplitBrain: Scenario<ShopOp> = {
  name: 'redis-split-brain',
  summary: 'redis-ha-2: the primary is partitioned from its replica and the Sentinels but not from the nodes; the Sentinels promote the replica, and what the old primary acknowledged meanwhile is discarded when it rejoins.',
  topology: 'redis-ha-2',
  fresh: sentinelRolesNotRestored,
  expected: 'failed-over-writes-lost',
  needs: ['network-faults'],
  run: (lab) => writeUnderFaults(lab, splitBrainPlan),
  check: splitBrainVerdict,
};

/**
 * With min-replicas-max-lag 1 a primary counts a replica as long as its last acknowledgement (sent
 * every second, compared in whole seconds) is at most 1 s old: it refuses writes within 3 s of its
 * replica going silent (1.4–1.8 s measured). What it acknowledged before that is still lost;
 * nothing after.
 */
export const minReplicasBoundMs = 3000;

export const redisSplitBrainMinReplicas: Scenario<ShopOp> = {
  ...redisSplitBrain,
  name: 'redis-split-brain-min-replicas',
  summary: `redis-ha-2-min-replicas: the same split brain with min-replicas-to-write 1: the cut-off primary refuses writes once its replica is silent, so only what it acknowledged in the first ${minReplicasBoundMs / 1000} s is lost; the promoted one refuses them until the old one is its replica.`,
  topology: 'redis-ha-2-min-replicas',
  fresh: sentinelRolesNotRestored,
  expected: 'lost-within-bound',
  check: boundedSplitBrainVerdict(minReplicasBoundMs),
};

export const redisSplitBrainWait: Scenario<ShopOp> = {
  ...redisSplitBrain,
  name: 'redis-split-brain-wait',
  summary: 'redis-ha-2-wait: the same split brain with each write waiting for the replica (WAIT 1): the cut-off primary applies writes but cannot acknowledge them, so none acknowledged is lost; each costs the 500 ms wait and a 503.',
  topology: 'redis-ha-2-wait',
  fresh: sentinelRolesNotRestored,
  expected: 'failed-over-nothing-lost',
};
