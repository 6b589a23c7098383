// The verdicts of `lab check`, each a pure function of the history, in the app's own terms: the
// values a device wrote and saw acknowledged, and which of them its reads showed. A write with no
// answer or a 5xx is neither kept nor lost (it may or may not have happened).
import { enginePrincipals } from '../../runner/history.ts';
import { firstBad, type Verdict } from '../../runner/scenario.ts';
import { checkActions, type CheckOp } from './device.ts';

/** Each device's reads after fromMs, against the values it had seen acknowledged when the read began. */
function readsAgainstWrites(history: readonly CheckOp[], fromMs = Number.NEGATIVE_INFINITY) {
  const bad: CheckOp[] = [];
  let reads = 0;
  let missing = 0;
  let renewed = 0;
  for (const device of new Set(history.filter((op) => op.action === checkActions.read).map((op) => op.process))) {
    const own = history.filter((op) => op.process === device);
    for (const read of own.filter((op) => op.action === checkActions.read && op.type === 'ok' && op.startedMs >= fromMs)) {
      const acknowledged = own.filter((op) => op.action === checkActions.write && op.type === 'ok' && op.endedMs <= read.startedMs).map((op) => op.written!);
      const lacking = acknowledged.filter((v) => !read.shown?.includes(v)).length;
      reads++;
      missing += lacking;
      if (read.sessionState === 'new') renewed++;
      if (lacking > 0) bad.push(read);
    }
  }
  return { reads, missing, renewed, bad: bad.sort((a, b) => a.index - b.index) };
}

const nodesOf = (history: readonly CheckOp[]) => [...new Set(history.filter((op) => op.type === 'ok' && op.servedBy).map((op) => op.servedBy!))].sort();

function lostOrKept(history: readonly CheckOp[], fromMs?: number): Verdict {
  const { reads, missing, renewed, bad } = readsAgainstWrites(history, fromMs);
  const metrics = { reads, readsMissingValues: bad.length, valuesMissing: missing, newSessions: renewed, nodes: nodesOf(history).join(',') };
  if (reads === 0) return { observed: 'inconclusive', metrics };
  if (bad.length === 0) return { observed: 'kept', metrics };
  const first = bad[0]!;
  return { observed: 'lost', metrics, firstBad: firstBad(first, `every value written so far (${first.args?.expected})`, `${first.shown?.length ?? 0} of them, ${first.sessionState} session, on ${first.servedBy ?? 'no node'}`) };
}

/**
 * The round trip on one node: every read shows every value written before it, and the app set its
 * session cookie. holds, or broken with the first request that did not answer as the file says.
 */
export function contractVerdict(history: readonly CheckOp[]): Verdict {
  const requests = history.filter((op) => op.action === checkActions.write || op.action === checkActions.read);
  const failed = requests.find((op) => op.type !== 'ok');
  const metrics = { requests: requests.length };
  if (requests.length === 0) return { observed: 'holds', metrics };
  if (failed) return { observed: 'broken', metrics, firstBad: firstBad(failed, 'a 2xx or 3xx answer', failed.status ? `status ${failed.status}` : (failed.error ?? 'no answer')) };
  const noCookie = requests.find((op) => op.sessionState === 'none');
  if (noCookie) return { observed: 'broken', metrics, firstBad: firstBad(noCookie, 'the session cookie the app file names', 'no such cookie in the jar') };
  const verdict = lostOrKept(history);
  if (verdict.observed !== 'kept') return { ...verdict, observed: 'broken' };
  return { observed: 'holds', metrics: { ...metrics, ...verdict.metrics } };
}

/** The session across the nodes (round robin, concurrent writes): kept, or lost with the first read that lacked a value. */
export function sessionVerdict(history: readonly CheckOp[]): Verdict {
  return lostOrKept(history);
}

/** The session across a fault: only the reads after the last fault count. */
export function acrossFaultVerdict(history: readonly CheckOp[]): Verdict {
  const fault = history.findLast((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  if (!fault) return { observed: 'inconclusive', metrics: { faults: 0 } };
  const verdict = lostOrKept(history, fault.endedMs);
  return { ...verdict, metrics: { fault: fault.request, ...verdict.metrics } };
}

/** How long a request may take before it counts as hanging rather than failing. */
export const hangMs = 5000;

/** A request slower than this while the store was gone was held until it came back. */
export const heldMs = 1000;

/**
 * The store stopped under requests: fails-fast (the failures answered with an error, none slower
 * than hangMs, and writes succeed again once it is back), waits (nothing failed, but requests were
 * held until the store came back: a longer outage holds them longer), unaffected (nothing failed
 * or waited), hangs (a request took longer than hangMs or got no answer), not-recovered (no write
 * succeeded after the store came back).
 */
export function outageVerdict(history: readonly CheckOp[]): Verdict {
  // The store stopped (or paused), then started (or resumed).
  const stop = history.find((op) => op.process === enginePrincipals.nemesis && (op.action === 'stop' || op.action === 'pause') && op.type === 'ok');
  const start = history.find((op) => op.process === enginePrincipals.nemesis && (op.action === 'start' || op.action === 'resume') && op.type === 'ok');
  if (!stop || !start) return { observed: 'inconclusive', metrics: { faults: 0 } };
  const requests = history.filter((op) => (op.action === checkActions.write || op.action === checkActions.read) && op.endedMs >= stop.startedMs);
  const during = requests.filter((op) => op.startedMs < start.endedMs);
  const slowest = Math.max(0, ...during.map((op) => op.endedMs - op.startedMs));
  const failures = during.filter((op) => op.type !== 'ok');
  const statuses = [...new Set(failures.map((op) => String(op.status ?? 'none')))].sort().join(',');
  const metrics = { duringOutage: during.length, failed: failures.length, statuses, slowestMs: Math.round(slowest) };
  const hung = during.find((op) => op.endedMs - op.startedMs > hangMs || (op.type !== 'ok' && op.status === undefined));
  if (hung) return { observed: 'hangs', metrics, firstBad: firstBad(hung, `an answer within ${hangMs / 1000} s`, hung.status ? `${hung.status} after ${Math.round(hung.endedMs - hung.startedMs)} ms` : (hung.error ?? 'no answer')) };
  const recovered = requests.some((op) => op.action === checkActions.write && op.type === 'ok' && op.startedMs >= start.endedMs);
  if (!recovered) return { observed: 'not-recovered', metrics };
  if (failures.length > 0) return { observed: 'fails-fast', metrics };
  return { observed: slowest >= heldMs ? 'waits' : 'unaffected', metrics };
}
