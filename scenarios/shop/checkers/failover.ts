// A replicated store's primary killed, or cut off from its replica and Sentinels, under writes: did
// the nodes follow the promoted replica, how long could nobody write, and which acknowledged writes
// did the failover take? A pure function of the history; a write with no answer or a 5xx (info) is
// neither kept nor lost. Each device's last cart after the fault is held against every add it saw
// acknowledged (adds only grow a cart), so how long the fault operations took decides nothing.
import { enginePrincipals } from '../../../runner/history.ts';
import { lostAdds } from './lost-adds.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

/**
 * How long before the replica stopped a write may still be on its way to it: the replication
 * stream leaves the primary in the same event-loop turn as the answer and crosses loopback in well
 * under a millisecond; this leaves room for a busy machine.
 */
export const replicationSlackMs = 100;

/**
 * The fault that starts a failover, and the window in which an acknowledged add is at risk: the
 * replica may never have applied it. After recoveredFromMs a successful write means writes work again.
 */
interface Cut {
  op: ShopOp;
  atRiskFromMs: number;
  atRiskToMs: number;
  recoveredFromMs: number;
}

/**
 * A crash: the first kill; the replica lags from the first pause before it (minus the slack), or
 * from the crash itself, until the crash ended.
 */
function crashCut(nemesis: readonly ShopOp[]): Cut | undefined {
  const crash = nemesis.find((op) => op.action === 'kill');
  if (!crash) return undefined;
  const pause = nemesis.find((op) => op.action === 'pause' && op.index < crash.index);
  return { op: crash, atRiskFromMs: (pause?.startedMs ?? crash.startedMs) - replicationSlackMs, atRiskToMs: crash.endedMs, recoveredFromMs: crash.endedMs };
}

/**
 * A split brain: the first partition. Whatever the cut-off primary acknowledges from then on may
 * be discarded when it rejoins as a replica: at risk until the heal, or, when the primary refuses
 * writes once its replica is silent for a while (min-replicas-max-lag), until boundMs after the cut.
 */
function partitionCut(nemesis: readonly ShopOp[], boundMs?: number): Cut | undefined {
  const cut = nemesis.find((op) => op.action === 'partition');
  if (!cut) return undefined;
  const heal = nemesis.find((op) => op.action === 'heal' && op.index > cut.index);
  const healedMs = heal?.endedMs ?? Number.POSITIVE_INFINITY;
  return { op: cut, atRiskFromMs: cut.startedMs - replicationSlackMs, atRiskToMs: boundMs === undefined ? healedMs : cut.endedMs + boundMs, recoveredFromMs: heal?.endedMs ?? cut.endedMs };
}

interface FailoverAnalysis {
  crash: ShopOp;
  metrics: Record<string, unknown>;
  recovered: boolean;
  devices: number;
  lost: number;
  /** Lost adds that were acknowledged before the replica stopped confirming (beyond the slack). */
  lostBeyondLag: number;
  firstLost: FirstBad | undefined;
  firstBeyondLag: FirstBad | undefined;
  /** Every acknowledged add a device's last cart lacks. */
  lostWrites: number[];
}

const count = (map: Map<string, number>, sku: string, qty: number) => map.set(sku, (map.get(sku) ?? 0) + qty);

/** Losses against the cut's window: an add acknowledged inside it may be gone, one outside may not. */
function analyzeFailover(history: readonly ShopOp[], cutOf: (nemesis: readonly ShopOp[]) => Cut | undefined = crashCut): FailoverAnalysis | undefined {
  const nemesis = history.filter((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  const cut = cutOf(nemesis);
  if (!cut) return undefined;
  const crash = cut.op;
  const requests = history.filter((op) => cartActions.has(op.action));
  const adds = requests.filter((op) => op.action === shopActions.addItem && op.type === 'ok');
  let acknowledged = 0;
  let atRisk = 0;
  let lost = 0;
  let lostBeyondLag = 0;
  let sessionsKept = 0;
  let devices = 0;
  let firstLost: FirstBad | undefined;
  let firstBeyondLag: FirstBad | undefined;
  const lostWrites: number[] = [];
  for (const device of new Set(requests.map((op) => op.process))) {
    const all = new Map<string, number>();
    const acknowledgedOps: ShopOp[] = [];
    const risky = new Map<string, number>();
    let last: { op: ShopOp; missing: number; beyond: number } | undefined;
    let deviceAcknowledged = 0;
    let deviceAtRisk = 0;
    for (const op of requests.filter((o) => o.process === device)) {
      if (op.type === 'ok' && op.action === shopActions.addItem) {
        const [sku, qty] = [String(op.args?.sku), Number(op.args?.qty)];
        count(all, sku, qty);
        acknowledgedOps.push(op);
        deviceAcknowledged += qty;
        if (op.endedMs >= cut.atRiskFromMs && op.endedMs <= cut.atRiskToMs) {
          count(risky, sku, qty);
          deviceAtRisk += qty;
        }
      }
      if (op.type !== 'ok' || !op.cart || op.startedMs < crash.startedMs) continue;
      const shown = new Map(op.cart.map((l) => [l.sku, l.qty]));
      let missing = 0;
      let beyond = 0;
      for (const [sku, qty] of all) {
        const gone = Math.max(0, qty - (shown.get(sku) ?? 0));
        missing += gone;
        beyond += Math.max(0, gone - (risky.get(sku) ?? 0));
      }
      last = { op, missing, beyond };
      if (missing > 0 && (!firstLost || op.index < firstLost.index)) firstLost = firstBad(op, `the ${deviceAcknowledged} adds acknowledged so far`, `${op.sessionState}, ${formatCart(op.cart)}`);
      if (beyond > 0 && (!firstBeyondLag || op.index < firstBeyondLag.index)) firstBeyondLag = firstBad(op, `the adds acknowledged before the replica stopped confirming`, `${op.sessionState}, ${formatCart(op.cart)}`);
    }
    if (!last || deviceAcknowledged === 0) continue;
    const lastCart = last.op;
    lostWrites.push(...lostAdds(acknowledgedOps.filter((op) => op.index < lastCart.index), lastCart.cart).map((op) => op.index));
    devices++;
    acknowledged += deviceAcknowledged;
    atRisk += deviceAtRisk;
    lost += last.missing;
    lostBeyondLag += last.beyond;
    if (!requests.some((op) => op.process === device && op.startedMs >= crash.startedMs && op.sessionState === 'lost')) sessionsKept++;
  }
  const okAfter = adds.filter((op) => op.startedMs >= cut.recoveredFromMs);
  const firstRefusal = requests.find((op) => op.startedMs >= crash.startedMs && op.status === 503);
  const metrics = {
    fault: crash.request,
    devices,
    acknowledged,
    acknowledgedWhileReplicaLagged: atRisk,
    lost,
    lostBeyondLag,
    sessionsKept,
    msWithoutSuccessfulWrite: longestGapMs(adds, crash.startedMs),
    answered503: requests.filter((op) => op.status === 503).length,
    msUntilFirst503: firstRefusal ? Math.round(firstRefusal.endedMs - crash.startedMs) : null,
    otherFailures: requests.filter((op) => op.type !== 'ok' && op.status !== 503).length,
  };
  return { crash, metrics, recovered: okAfter.length > 0, devices, lost, lostBeyondLag, firstLost, firstBeyondLag, lostWrites: lostWrites.sort((a, b) => a - b) };
}

/**
 * The longest time from fromMs on in which no write succeeded: between two successful adds
 * (whichever devices), from fromMs to the first. Null when none succeeded before and after it.
 */
function longestGapMs(adds: readonly ShopOp[], fromMs: number): number | null {
  const before = adds.filter((op) => op.endedMs <= fromMs).map((op) => op.endedMs);
  const after = adds.filter((op) => op.endedMs > fromMs).map((op) => op.endedMs).sort((a, b) => a - b);
  if (before.length === 0 || after.length === 0) return null;
  let gap = 0;
  let previous = Math.max(...before);
  for (const endedMs of after) {
    gap = Math.max(gap, endedMs - previous);
    previous = endedMs;
  }
  return Math.round(gap);
}

/** The verdict when losses cannot be judged: no crash, no write after it, no device to check. */
function nothingToJudge(analysis: FailoverAnalysis | undefined): Verdict | undefined {
  if (!analysis) return { observed: 'inconclusive', metrics: { crashes: 0 } };
  if (!analysis.recovered) return { observed: 'not-recovered', metrics: analysis.metrics };
  if (analysis.devices === 0) return { observed: 'inconclusive', metrics: analysis.metrics };
  return undefined;
}

/**
 * For a failover that must lose nothing (WAIT: a write is answered only once a replica has it).
 * failed-over-nothing-lost: writes succeeded again after the crash and every device's last cart
 * held all its acknowledged adds; failed-over-writes-lost: some were missing; not-recovered: no
 * write succeeded after the crash.
 */
export function failoverVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeFailover(history);
  const unjudged = nothingToJudge(analysis);
  if (unjudged || !analysis) return unjudged!;
  const { metrics } = analysis;
  return analysis.lost > 0 ? { observed: 'failed-over-writes-lost', metrics, firstBad: analysis.firstLost, lostWrites: analysis.lostWrites } : { observed: 'failed-over-nothing-lost', metrics };
}

/**
 * For asynchronous replication, which may lose what the replica had not applied: whether it did
 * depends on timing (a paused replica keeps what reached its socket, unless the dying primary's
 * reset empties it), so no run's count is a verdict. What holds in every run is the bound.
 * failed-over-within-lag: writes succeeded again, and nothing acknowledged before the replica
 * stopped confirming is missing (what it acknowledged since may be: lost says how much);
 * lost-beyond-lag: an earlier acknowledged add is missing; not-recovered as above.
 */
export function asyncFailoverVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeFailover(history);
  const unjudged = nothingToJudge(analysis);
  if (unjudged || !analysis) return unjudged!;
  const { metrics } = analysis;
  const lostWrites = analysis.lostWrites;
  if (analysis.lostBeyondLag > 0) return { observed: 'lost-beyond-lag', metrics, firstBad: analysis.firstBeyondLag, lostWrites };
  return { observed: 'failed-over-within-lag', metrics, ...(analysis.firstLost ? { firstBad: analysis.firstLost, lostWrites } : {}) };
}

/**
 * A split brain (the primary partitioned from its replica and Sentinels, the nodes still reaching
 * both): what the old primary acknowledged before the nodes followed the promoted replica is thrown
 * away when it rejoins as a replica. failed-over-writes-lost: writes succeeded after the heal and
 * acknowledged adds are missing; failed-over-nothing-lost: none is; not-recovered: no write
 * succeeded after the heal; inconclusive without a partition.
 */
export function splitBrainVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeFailover(history, (nemesis) => partitionCut(nemesis));
  const unjudged = nothingToJudge(analysis);
  if (unjudged || !analysis) return unjudged!;
  const { metrics } = analysis;
  return analysis.lost > 0 ? { observed: 'failed-over-writes-lost', metrics, firstBad: analysis.firstLost, lostWrites: analysis.lostWrites } : { observed: 'failed-over-nothing-lost', metrics };
}

/**
 * A split brain whose primary refuses writes once no replica acknowledged it for a while
 * (min-replicas-to-write, min-replicas-max-lag): only what it acknowledged within boundMs of the
 * cut may be lost. lost-within-bound: writes succeeded after the heal and nothing acknowledged
 * later is missing (lost says how much earlier); lost-beyond-bound: a later one is.
 */
export function boundedSplitBrainVerdict(boundMs: number): (history: readonly ShopOp[]) => Verdict {
  return (history) => {
    const analysis = analyzeFailover(history, (nemesis) => partitionCut(nemesis, boundMs));
    const unjudged = nothingToJudge(analysis);
    if (unjudged || !analysis) return unjudged!;
    const metrics = { ...analysis.metrics, boundMs };
    // Here "beyond lag" means beyond the bound: an add missing though it was acknowledged outside the window.
    const lostWrites = analysis.lostWrites;
    if (analysis.lostBeyondLag > 0) return { observed: 'lost-beyond-bound', metrics, firstBad: analysis.firstBeyondLag, lostWrites };
    return { observed: 'lost-within-bound', metrics, ...(analysis.firstLost ? { firstBad: analysis.firstLost, lostWrites } : {}) };
  };
}
