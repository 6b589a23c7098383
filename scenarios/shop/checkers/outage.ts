// A shared store down under load: did the nodes fail fast (503 within about a second, nothing
// hanging), recover by themselves, and lose no acknowledged write? A pure function of the history.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/** An answer slower than this counts as hanging (the nodes' store deadlines are 1 s). */
export const hangingMs = 2000;

/**
 * The outage runs from the first fault to the end of the last one. failed-fast-and-recovered:
 * every failed request answered 503 within the hanging limit, requests succeeded again after the
 * store returned, and no answer lost an acknowledged add. writes-lost, hung, not-recovered: the
 * first that applies.
 */
export function outageVerdict(history: readonly ShopOp[]): Verdict {
  const faults = history.filter((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  if (faults.length < 2) return { observed: 'inconclusive', metrics: { faults: faults.length } };
  const [down, up] = [faults[0]!, faults.at(-1)!];
  const requests = history.filter((op) => cartActions.has(op.action));
  const failed = requests.filter((op) => op.type !== 'ok');
  const slowest = requests.reduce<ShopOp | undefined>((worst, op) => (!worst || op.endedMs - op.startedMs > worst.endedMs - worst.startedMs ? op : worst), undefined);
  const lastFailure = Math.max(up.endedMs, ...failed.map((op) => op.endedMs));
  const carts = analyzeCarts(history);
  const metrics = {
    outage: `${down.request} … ${up.request}`,
    outageMs: Math.round(up.endedMs - down.startedMs),
    requests: requests.length,
    answered503: failed.filter((op) => op.status === 503).length,
    otherFailures: failed.filter((op) => op.status !== 503).length,
    slowestMs: slowest ? Math.round(slowest.endedMs - slowest.startedMs) : 0,
    msToRecoverAfterStoreBack: Math.round(lastFailure - up.endedMs),
    succeededAfterRecovery: requests.filter((op) => op.startedMs > lastFailure && op.type === 'ok').length,
    lostSessions: carts.lostSessions,
    wrongCarts: carts.wrongCarts,
  };
  if (carts.firstBad) return { observed: 'writes-lost', metrics, firstBad: carts.firstBad };
  const hung = requests.find((op) => op.endedMs - op.startedMs > hangingMs);
  if (hung) return { observed: 'hung', metrics, firstBad: firstBad(hung, `an answer within ${hangingMs} ms`, `${Math.round(hung.endedMs - hung.startedMs)} ms`) };
  const other = failed.find((op) => op.status !== 503);
  if (other) return { observed: 'not-failed-fast', metrics, firstBad: firstBad(other, '503 store_unavailable', String(other.status ?? other.error)) };
  if (metrics.succeededAfterRecovery === 0) return { observed: 'not-recovered', metrics };
  return { observed: failed.length > 0 ? 'failed-fast-and-recovered' : 'inconclusive', metrics };
}
