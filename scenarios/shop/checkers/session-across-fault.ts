// Did a device's session survive a fault? Compares the device's last answer before the first
// fault with its first answer after it.
import { enginePrincipals } from '../../../runner/history.ts';
import type { FaultName } from '../../../runner/faults/index.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, type ShopOp } from '../actions.ts';

type Op = ShopOp;

function cartSize(op: Op | undefined): number {
  return (op?.cart ?? []).reduce((sum, line) => sum + line.qty, 0);
}

/**
 * session-kept: the same session answered after the fault, with the same cart.
 * session-lost: the cookie came back and the node said lost, with an empty cart.
 * inconclusive: anything else (no fault, no answer before or after, an empty cart before).
 */
export function sessionAcrossFault(history: readonly Op[], faultAction: FaultName): Verdict {
  const fault = history.find((op) => op.process === enginePrincipals.nemesis && op.action === faultAction && op.type === 'ok');
  const answered = (op: Op) => cartActions.has(op.action) && op.type === 'ok';
  const before = fault ? history.filter((op) => op.index < fault.index && answered(op)).at(-1) : undefined;
  const after = fault ? history.find((op) => op.index > fault.index && answered(op) && op.process === before?.process) : undefined;
  const metrics = {
    fault: fault ? `${faultAction} ${String(fault.args?.service)}` : 'none',
    cartBefore: cartSize(before),
    cartAfter: cartSize(after),
    sessionStateAfter: after?.sessionState ?? 'none',
    sameSession: before !== undefined && after !== undefined && before.session === after.session,
  };
  let observed = 'inconclusive';
  if (before && after && metrics.cartBefore > 0) {
    if (after.sessionState === 'existing' && metrics.sameSession && JSON.stringify(after.cart) === JSON.stringify(before.cart)) observed = 'session-kept';
    else if (after.sessionState === 'lost' && metrics.cartAfter === 0) observed = 'session-lost';
  }
  // The answer after the fault is where a loss shows.
  const lostHere = after && observed !== 'session-kept' && observed !== 'inconclusive';
  return lostHere ? { observed, metrics, firstBad: firstBad(after, `the same session, ${formatCart(before?.cart)}`, `${after.sessionState ?? 'no state'}, ${formatCart(after.cart)}`) } : { observed, metrics };
}
