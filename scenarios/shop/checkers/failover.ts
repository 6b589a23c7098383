// A replicated store's primary killed under writes: did the nodes follow the promoted replica, how
// long could nobody write, and which acknowledged writes did the failover take? A pure function of
// the history; a write with no answer or a 5xx (info) is neither kept nor lost.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

/**
 * The crash is the first kill. For each device, its adds acknowledged before the crash against the
 * first cart it was shown afterwards. failed-over-writes-lost: writes succeeded again after the
 * crash and some acknowledged add was missing; failed-over-nothing-lost: they succeeded again and
 * nothing was missing; not-recovered: no write succeeded after the crash.
 */
export function failoverVerdict(history: readonly ShopOp[]): Verdict {
  const crash = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'kill' && op.type === 'ok');
  if (!crash) return { observed: 'inconclusive', metrics: { crashes: 0 } };
  const requests = history.filter((op) => cartActions.has(op.action));
  const adds = requests.filter((op) => op.action === shopActions.addItem);
  const okBefore = adds.filter((op) => op.type === 'ok' && op.endedMs <= crash.startedMs);
  const okAfter = adds.filter((op) => op.type === 'ok' && op.startedMs >= crash.endedMs);
  let acknowledged = 0;
  let lost = 0;
  let sessionsKept = 0;
  let devices = 0;
  let first: FirstBad | undefined;
  for (const device of new Set(requests.map((op) => op.process))) {
    const model = new Map<string, number>();
    for (const op of okBefore.filter((o) => o.process === device)) model.set(String(op.args?.sku), (model.get(String(op.args?.sku)) ?? 0) + Number(op.args?.qty));
    const after = requests.find((op) => op.process === device && op.type === 'ok' && op.startedMs >= crash.endedMs && op.cart);
    if (!after || model.size === 0) continue;
    devices++;
    acknowledged += [...model.values()].reduce((a, b) => a + b, 0);
    if (after.sessionState === 'existing') sessionsKept++;
    const shown = new Map((after.cart ?? []).map((l) => [l.sku, l.qty]));
    let missing = 0;
    for (const [sku, qty] of model) missing += Math.max(0, qty - (shown.get(sku) ?? 0));
    lost += missing;
    if (missing > 0 && (!first || after.index < first.index)) first = firstBad(after, `the adds acknowledged before ${crash.request}`, `${after.sessionState}, ${formatCart(after.cart)}`);
  }
  const lastBefore = Math.max(...okBefore.map((op) => op.endedMs));
  const firstAfter = Math.min(...okAfter.map((op) => op.endedMs));
  const metrics = {
    crash: crash.request,
    devices,
    acknowledgedBeforeCrash: acknowledged,
    lost,
    sessionsKept,
    msWithoutSuccessfulWrite: okBefore.length > 0 && okAfter.length > 0 ? Math.round(firstAfter - lastBefore) : null,
    answered503: requests.filter((op) => op.status === 503).length,
    otherFailures: requests.filter((op) => op.type !== 'ok' && op.status !== 503).length,
  };
  if (okAfter.length === 0) return { observed: 'not-recovered', metrics };
  if (devices === 0) return { observed: 'inconclusive', metrics };
  return lost > 0 ? { observed: 'failed-over-writes-lost', metrics, firstBad: first } : { observed: 'failed-over-nothing-lost', metrics };
}
