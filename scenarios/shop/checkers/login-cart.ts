// The cart a visitor filled before logging in, after the login: the session id changes at login
// (against fixation), and whatever the old session held goes with it unless the app moves it.
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import type { CartLine } from '../../../app/contract.ts';
import { formatCart, shopActions, type ShopOp } from '../actions.ts';

const cartViews: ReadonlySet<string> = new Set([shopActions.viewCart, shopActions.addItem]);

/** Every line of before is in after, with at least its quantity (the user's own cart may add more). */
function holds(after: readonly CartLine[], before: readonly CartLine[]): boolean {
  return before.every((line) => (after.find((l) => l.sku === line.sku)?.qty ?? 0) >= line.qty);
}

/**
 * cart-kept-at-login: every cart the device saw after its login holds the anonymous cart it last
 * saw before it. cart-lost-at-login: one does not (the first such answer is the evidence).
 * inconclusive: no anonymous cart was seen, the login failed, or nothing was read after it.
 */
export function loginCartVerdict(history: readonly ShopOp[]): Verdict {
  const login = history.find((op) => op.action === shopActions.login && op.type === 'ok');
  if (!login) return { observed: 'inconclusive', metrics: { loggedIn: false } };
  const device = login.process;
  const mine = history.filter((op) => op.process === device && op.type === 'ok' && cartViews.has(op.action) && op.cart !== undefined);
  const anonymous = mine.filter((op) => op.index < login.index && op.user === undefined).at(-1);
  const after = mine.filter((op) => op.index > login.index);
  const metrics = {
    anonymousCart: formatCart(anonymous?.cart),
    sessionBeforeLogin: anonymous?.session,
    sessionAfterLogin: after[0]?.session,
    readsAfterLogin: after.length,
    nodesAfterLogin: [...new Set(after.map((op) => op.servedBy))].sort().join(' '),
  };
  if (!anonymous || anonymous.cart!.length === 0 || after.length === 0) return { observed: 'inconclusive', metrics };
  const lost = after.find((op) => !holds(op.cart!, anonymous.cart!));
  if (lost) return { observed: 'cart-lost-at-login', metrics, firstBad: firstBad(lost, `the anonymous ${formatCart(anonymous.cart)} in the user's cart`, `${formatCart(lost.cart)} for user ${lost.user ?? 'none'}`) };
  return { observed: 'cart-kept-at-login', metrics };
}
