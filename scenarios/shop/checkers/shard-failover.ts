// A Redis Cluster shard's primary killed while devices use the shop: which devices saw failures,
// held against the slot map the cluster gave before the kill (GET /debug/sessions's shards) and
// the slot each device's session hashes to. A pure function of the history: a write with no
// answer or a 5xx (info) is neither kept nor lost; each device's last cart is held against every
// add it saw acknowledged, except those acknowledged just before the kill (replication is
// asynchronous: the replica may not have had them).
import type { ShardCount } from '../../../app/contract.ts';
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';
import { replicationSlackMs } from './failover.ts';
import { lostAdds } from './lost-adds.ts';

/** The probes' labels: the slot map before the kill, the count while the shard is down, and after. */
export const shardProbeLabels = { before: 'the shards before', during: 'the shards while one is down', after: 'the shards after' } as const;

/** The shards a /debug/sessions probe of that label saw: the last such probe that answered, or the first. */
export function shardsSeen(history: readonly ShopOp[], label: string, which: 'first' | 'last' = 'last'): ShardCount[] | undefined {
  const answered = (op: ShopOp) => op.process === enginePrincipals.probe && op.args?.label === label && op.type === 'ok';
  const probe = which === 'last' ? history.findLast(answered) : history.find(answered);
  return (probe?.value as { shards?: ShardCount[] } | undefined)?.shards;
}

/** One line per shard for a probe's `seen`: "redis-1 (0-5460): 7 sessions", or why it could not say. */
export function describeShards(body: unknown): string {
  const { shards, storeLength } = body as { shards?: ShardCount[]; storeLength?: number | null };
  if (!shards) return 'no shards (not a cluster)';
  const each = shards.map((s) => `${s.primary} (${s.slots.map(([a, b]) => `${a}-${b}`).join(',')}): ${s.sessions ?? `no answer${s.error ? ` (${s.error})` : ''}`}`);
  return `${each.join('; ')}; connect-redis length() says ${storeLength ?? 'nothing'}`;
}

/** Whether a shard serves a slot. */
export const holds = (shard: ShardCount, slot: number): boolean => shard.slots.some(([first, last]) => slot >= first && slot <= last);

/**
 * only-its-shard-failed: requests of devices whose session sits on the killed primary's slots
 * failed, every one of those devices was served again (its replica promoted), no other device saw
 * a failure, and no cart lacks an add acknowledged before the kill (beyond the replication slack).
 * other-shards-failed: a device on another shard saw a failure (the cluster stopped serving slots
 * whose primary was alive). shard-not-recovered: a device on the killed shard was never served
 * again. lost-beyond-lag: an add acknowledged before the kill is missing afterwards.
 * no-outage-seen: no device on the killed shard saw a failure (nothing was shown).
 * inconclusive: no slot map, no kill, or the killed node was no primary of it.
 */
export function shardFailoverVerdict(history: readonly ShopOp[]): Verdict {
  const shards = shardsSeen(history, shardProbeLabels.before);
  const kill = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'kill' && op.type === 'ok');
  const killedShard = shards?.find((s) => s.primary === kill?.args?.service);
  if (!shards || !kill || !killedShard) return { observed: 'inconclusive', metrics: { shards: shards?.length ?? 0, killed: String(kill?.args?.service ?? 'nothing') } };

  const slots = new Map(history.filter((op) => op.action === shopActions.sessionSlot).map((op) => [op.process, Number(op.args?.slot)]));
  const requests = history.filter((op) => cartActions.has(op.action) && slots.has(op.process));
  const onKilled = [...slots].filter(([, slot]) => holds(killedShard, slot)).map(([device]) => device);
  const after = requests.filter((op) => op.startedMs >= kill.startedMs);
  const failed = after.filter((op) => op.type !== 'ok');
  const failedOnKilled = failed.filter((op) => onKilled.includes(op.process));
  const failedElsewhere = failed.filter((op) => !onKilled.includes(op.process));

  // A device on the killed shard is back once it is served after its last failure.
  const notRecovered: string[] = [];
  let outageMs = 0;
  for (const device of onKilled) {
    const own = after.filter((op) => op.process === device);
    const lastFailure = own.findLast((op) => op.type !== 'ok');
    if (!lastFailure) continue;
    const back = own.find((op) => op.index > lastFailure.index && op.type === 'ok');
    if (!back) notRecovered.push(device);
    else outageMs = Math.max(outageMs, back.endedMs - kill.startedMs);
  }

  // Adds acknowledged up to the slack before the kill must survive the promotion.
  const atRiskFromMs = kill.startedMs - replicationSlackMs;
  const lost: ShopOp[] = [];
  let lostBeyondLag = 0;
  let firstLost: ShopOp | undefined;
  let sessionsLost = 0;
  for (const device of slots.keys()) {
    const own = requests.filter((op) => op.process === device);
    const lastCart = own.findLast((op) => op.type === 'ok' && op.cart !== undefined);
    if (!lastCart || lastCart.startedMs < kill.startedMs) continue;
    const acknowledged = own.filter((op) => op.action === shopActions.addItem && op.type === 'ok' && op.index < lastCart.index);
    const missing = lostAdds(acknowledged, lastCart.cart);
    lost.push(...missing);
    const beyond = missing.filter((op) => op.endedMs < atRiskFromMs).length;
    lostBeyondLag += beyond;
    if (beyond > 0 && (!firstLost || lastCart.index < firstLost.index)) firstLost = lastCart;
    if (own.some((op) => op.startedMs >= kill.startedMs && op.sessionState === 'lost')) sessionsLost++;
  }

  // The first look while the shard is down: what a count across primaries can still say.
  const during = shardsSeen(history, shardProbeLabels.during, 'first');
  const afterShards = shardsSeen(history, shardProbeLabels.after);
  const metrics = {
    killed: killedShard.primary,
    shards: shards.length,
    devices: slots.size,
    devicesOnKilledShard: onKilled.length,
    devicesOnKilledShardThatFailed: new Set(failedOnKilled.map((op) => op.process)).size,
    failuresOnKilledShard: failedOnKilled.length,
    failuresOnOtherShards: failedElsewhere.length,
    msUntilKilledShardServedAgain: Math.round(outageMs),
    sessionsLost,
    addsLost: lost.length,
    lostBeyondLag,
    shardsCountedWhileDown: during ? during.filter((s) => s.sessions !== null).length : null,
    promotedPrimary: afterShards?.find((s) => s.slots.some(([first]) => holds(killedShard, first)))?.primary ?? null,
  };
  const lostWrites = lost.map((op) => op.index).sort((a, b) => a - b);
  if (failedElsewhere.length > 0) {
    const op = failedElsewhere[0]!;
    return { observed: 'other-shards-failed', metrics, firstBad: firstBad(op, `served: its session's slot ${slots.get(op.process)} is not on ${killedShard.primary}`, `${op.status ?? op.error ?? op.type}`) };
  }
  if (failedOnKilled.length === 0) return { observed: 'no-outage-seen', metrics };
  if (notRecovered.length > 0) {
    const op = after.findLast((o) => o.process === notRecovered[0])!;
    return { observed: 'shard-not-recovered', metrics, firstBad: firstBad(op, `served again once ${killedShard.replicas.join(', ')} was promoted`, `${op.status ?? op.error ?? op.type}`) };
  }
  if (lostBeyondLag > 0) {
    return { observed: 'lost-beyond-lag', metrics, firstBad: firstBad(firstLost!, 'every add acknowledged before the kill', `${firstLost!.sessionState}, ${formatCart(firstLost!.cart)}`), lostWrites };
  }
  // The moment the report rings: the first request the dead primary failed.
  const first = failedOnKilled[0]!;
  return { observed: 'only-its-shard-failed', metrics, firstBad: firstBad(first, 'served', `${first.status ?? first.error ?? first.type} (slot ${slots.get(first.process)} on ${killedShard.primary})`), ...(lostWrites.length > 0 ? { lostWrites } : {}) };
}
