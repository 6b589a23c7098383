// A node killed under load with a shared store: were acknowledged writes lost, which requests
// failed, and how long until every request succeeded again. A pure function of the history.
import { enginePrincipals } from '../../../runner/history.ts';
import type { Verdict } from '../../../runner/scenario.ts';
import { cartActions, shopActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/**
 * no-write-lost: no answer lost a session or showed a cart without an acknowledged add, every
 * failed request was in flight when the kill happened, and the killed node answered again after
 * its start. writes-lost: an answer lost an acknowledged add. failures-beyond-kill: nothing lost,
 * but requests that started after the kill failed too.
 */
export function killUnderLoadVerdict(history: readonly ShopOp[]): Verdict {
  const kill = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'kill' && op.type === 'ok');
  const start = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'start' && op.type === 'ok');
  if (!kill || !start) return { observed: 'inconclusive', metrics: { killed: Boolean(kill), started: Boolean(start) } };
  const killed = String(kill.args?.service);
  const requests = history.filter((op) => cartActions.has(op.action));
  const failed = requests.filter((op) => op.type !== 'ok');
  // In flight at the kill: sent before the process was gone, answered (or not) after it began dying.
  const inFlight = (op: ShopOp) => op.startedMs <= kill.endedMs && op.endedMs >= kill.startedMs;
  const beyond = failed.filter((op) => !inFlight(op));
  const carts = analyzeCarts(history);
  const lastFailure = Math.max(kill.startedMs, ...failed.map((op) => op.endedMs));
  const statuses: Record<string, number> = {};
  for (const op of failed) {
    const what = String(op.status ?? op.error?.split(':')[0] ?? 'none');
    statuses[what] = (statuses[what] ?? 0) + 1;
  }
  const metrics = {
    requests: requests.length,
    acknowledgedAdds: requests.filter((op) => op.type === 'ok' && op.action === shopActions.addItem).length,
    failed: failed.length,
    failedInFlightAtKill: failed.length - beyond.length,
    failedAfterKill: beyond.length,
    failures: statuses,
    unknownWrites: carts.unknownWrites,
    lostSessions: carts.lostSessions,
    wrongCarts: carts.wrongCarts,
    msUntilAllSucceed: Math.round(lastFailure - kill.startedMs),
    killedNodeAnsweredAgain: requests.some((op) => op.index > start.index && op.servedBy === killed),
    perNode: Object.fromEntries(Object.entries(carts.perNode).map(([node, s]) => [node, s.requests])),
  };
  if (carts.firstBad) return { observed: 'writes-lost', metrics, firstBad: carts.firstBad };
  if (beyond.length > 0) return { observed: 'failures-beyond-kill', metrics };
  return { observed: metrics.killedNodeAnsweredAgain ? 'no-write-lost' : 'inconclusive', metrics };
}
