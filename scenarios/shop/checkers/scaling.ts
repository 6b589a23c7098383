// What a change of the fleet did to the users: a node joining a sticky topology (who moved to
// another node, and whose cart stayed behind), and a node leaving under load (which requests
// failed). Pure functions of the history; the fleet's changes are the nemesis's scale ops.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, type ShopOp } from '../actions.ts';
import { analyzeCarts, cartMatches, cartModel } from './cart.ts';

function scaleOps(history: readonly ShopOp[], action: 'scale-out' | 'scale-in'): ShopOp[] {
  return history.filter((op) => op.process === enginePrincipals.nemesis && op.action === action && op.type === 'ok');
}

/**
 * A node joins (the one scale-out) and each device reads its cart again. A device moved when its
 * first answer after the scale-out came from another node than its last one before; it lost its
 * cart when that answer said lost or lacked its acknowledged adds. moved-users-lost-carts: some
 * moved device lost its cart. moved-carts-kept: devices moved and kept their carts (a shared
 * store). nobody-moved: every device stayed where it was. inconclusive: no scale-out, or a device
 * with no answer on either side of it.
 */
export function scaleOutVerdict(history: readonly ShopOp[]): Verdict {
  const [joined] = scaleOps(history, 'scale-out');
  if (!joined) return { observed: 'inconclusive', metrics: { scaleOuts: 0 } };
  const devices = [...new Set(history.filter((op) => cartActions.has(op.action)).map((op) => op.process))];
  let moved = 0;
  let cartsLost = 0;
  let unjudged = 0;
  const joinedBy: Record<string, number> = {};
  let first: FirstBad | undefined;
  for (const device of devices) {
    const ops = history.filter((op) => op.process === device && cartActions.has(op.action));
    const before = ops.findLast((op) => op.index < joined.index && op.type === 'ok');
    const after = ops.find((op) => op.index > joined.index && op.servedBy !== undefined);
    if (!before || !after) {
      unjudged++;
      continue;
    }
    if (after.servedBy === before.servedBy) continue;
    moved++;
    joinedBy[after.servedBy!] = (joinedBy[after.servedBy!] ?? 0) + 1;
    const model = cartModel(ops.filter((op) => op.index < joined.index));
    if (after.sessionState === 'lost' || after.type !== 'ok' || !cartMatches(model, after.cart ?? [])) {
      cartsLost++;
      first ??= firstBad(after, `its cart, kept by ${before.servedBy}`, `${after.sessionState ?? 'no answer'} on ${after.servedBy}, ${formatCart(after.cart) || 'no cart'}`);
    }
  }
  const metrics = { users: devices.length, moved, movedPercent: devices.length ? Math.round((100 * moved) / devices.length) : 0, cartsLost, movedTo: joinedBy };
  if (unjudged > 0) return { observed: 'inconclusive', metrics: { ...metrics, unjudged } };
  if (cartsLost > 0) return { observed: 'moved-users-lost-carts', metrics, firstBad: first };
  return { observed: moved > 0 ? 'moved-carts-kept' : 'nobody-moved', metrics };
}

/**
 * Writes under load while a node joins and leaves (scale-out, then scale-in). no-request-failed:
 * every request of every device was answered 2xx, every cart as its adds imply, and the node that
 * came and went served some of them. requests-failed: some request got no answer or a 5xx (in
 * flight on a node killed before the balancer stopped sending to it). cart-lost: a cart lacked an
 * acknowledged add. inconclusive: the fleet did not change, or the passing node served nothing.
 */
export function scaleInVerdict(history: readonly ShopOp[]): Verdict {
  const [joined] = scaleOps(history, 'scale-out');
  const [left] = scaleOps(history, 'scale-in');
  const carts = analyzeCarts(history);
  const requests = history.filter((op) => cartActions.has(op.action));
  const failed = requests.filter((op) => op.type !== 'ok');
  const passing = left ? String(left.args?.target ?? '').split(/\s+/)[0]! : undefined;
  const servedByPassing = requests.filter((op) => op.servedBy === passing).length;
  const metrics = { requests: requests.length, failedRequests: failed.length, servedByPassingNode: servedByPassing, wrongCarts: carts.wrongCarts };
  if (carts.wrongCarts > 0 || carts.lostSessions > 0) return { observed: 'cart-lost', metrics, firstBad: carts.firstBad };
  if (failed.length > 0) return { observed: 'requests-failed', metrics, firstBad: firstBad(failed[0]!, 'an answer', failed[0]!.status ? `${failed[0]!.status}` : (failed[0]!.error ?? 'no answer')) };
  if (!joined || !left || servedByPassing === 0) return { observed: 'inconclusive', metrics };
  return { observed: 'no-request-failed', metrics };
}
