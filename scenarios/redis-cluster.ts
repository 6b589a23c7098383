import { setTimeout as sleep } from 'node:timers/promises';
import type { ShardCount } from '../app/contract.ts';
import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { describeShards, holds, shardFailoverVerdict, shardProbeLabels } from './shop/checkers/shard-failover.ts';
import { shopDevice, type ShopDevice } from './shop/device.ts';
import { failedWriteBackoffMs } from './shop/load.ts';

// Sessions in a Redis Cluster of three shards. Devices shop, each session in the slot its key
// hashes to; then the primary of one shard gets kill -9. Its slots have no primary until the
// other nodes mark it failed (cluster-node-timeout, 1 s) and elect its replica: meanwhile the
// requests of the sessions on those slots answer 503, and only those: the other shards go on
// (the topology sets cluster-require-full-coverage no). The killed node is started again once
// its replica serves, and rejoins as that replica's replica. Where Sentinel fails the one
// primary over, a cluster splits the data, so a primary's death takes down a third of the users
// for a second or two instead of all of them.

/** Enough devices that each shard holds several sessions (a slot is a hash: about a third each). */
const devices = 24;
/** A user's pause between two adds. */
const thinkMs = 100;
/** How long the devices may wait for their shard to serve again before the run gives up. */
const recoveryLimitMs = 20_000;

/** Polls server_1's /debug/sessions (each answer recorded under label) until the shards satisfy done, or the deadline (a performance.now() time) passes. */
async function untilShards(lab: Lab, label: string, done: (shards: ShardCount[]) => boolean, deadline: number): Promise<boolean> {
  for (;;) {
    const probe = await lab.probe('server_1', '/debug/sessions', label, describeShards);
    if (done((probe.value as { shards?: ShardCount[] } | undefined)?.shards ?? [])) return true;
    if (performance.now() > deadline) return false;
    await sleep(250);
  }
}

async function killOneShard(lab: Lab): Promise<void> {
  const shoppers = Array.from({ length: devices }, (_, i) => shopDevice(lab, `device-${String(i + 1).padStart(2, '0')}`));
  for (const device of shoppers) {
    await device.add('item-0');
    device.recordSessionSlot();
  }
  const before = await lab.probe('server_1', '/debug/sessions', shardProbeLabels.before, describeShards);
  const shards = (before.value as { shards?: ShardCount[] } | undefined)?.shards;
  if (!shards) throw new Error(`server_1's /debug/sessions shows no cluster shards (answered ${before.status})`);
  // The primary of slot 0 (redis-1 as the cluster was made).
  const target = shards.find((s) => holds(s, 0))?.primary;
  if (!target || !lab.running.topology.services.some((s) => s.name === target)) throw new Error(`slot 0's primary "${target}" is no service of ${lab.running.topology.name}`);

  // Each device's latest answer, to know when all of them are served again.
  const latest = new Map<ShopDevice, ShopOp>();
  let shopping = true;
  const shop = async (device: ShopDevice) => {
    for (let n = 1; shopping; n++) {
      const op = await device.add(`item-${n % 40}`);
      latest.set(device, op);
      await sleep(op.type === 'ok' ? thinkMs : failedWriteBackoffMs);
    }
    await device.viewCart();
  };
  const fault = async () => {
    try {
      await lab.wait(1000, 'devices shop on every shard');
      await lab.fault('kill', target);
      // Started again before its replica took over, it would come back empty as the primary and
      // the replica would copy it: every session of the shard gone (as with Sentinel). So it
      // waits until the cluster names another primary for slot 0, and every device is served.
      const deadline = performance.now() + recoveryLimitMs;
      await untilShards(lab, shardProbeLabels.during, (now) => now.some((s) => holds(s, 0) && s.primary !== target), deadline);
      while (performance.now() < deadline && shoppers.some((d) => latest.get(d)?.type !== 'ok')) await sleep(100);
      await lab.fault('start', target);
      await untilShards(lab, shardProbeLabels.after, (now) => now.some((s) => s.replicas.includes(target) && s.sessions !== null), performance.now() + recoveryLimitMs);
    } finally {
      shopping = false;
    }
  };
  await Promise.all([...shoppers.map(shop), fault()]);
}

export const redisClusterShardFailover: Scenario<ShopOp> = {
  name: 'redis-cluster-shard-failover',
  summary: 'redis-cluster-2: kill -9 of one shard’s primary while 24 devices shop; only the sessions on its slots fail, until its replica is promoted; the other shards never notice.',
  topology: 'redis-cluster-2',
  expected: 'only-its-shard-failed',
  fresh: 'the cluster promotes the replica and the roles it started from are not put back',
  run: killOneShard,
  check: shardFailoverVerdict,
};
