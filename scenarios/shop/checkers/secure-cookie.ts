// Does a secure cookie behind a TLS-terminating proxy work? A pure function of the history, in
// two parts split by the last redeploy (the operator's fix): before it the nodes do not trust the
// proxy, after it they do.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/** Answers after each device's first one in this part that did not continue its session. */
function notContinued(part: readonly ShopOp[]): ShopOp[] {
  const seen = new Set<string>();
  return part.filter((op) => {
    const first = !seen.has(op.process);
    seen.add(op.process);
    return !first && op.sessionState !== 'existing';
  });
}

/**
 * cookie-needs-trust-proxy: without trust every answer said `new` and set no cookie (the node
 * refuses to send a Secure cookie on what it takes for plain http); with trust every device kept
 * its session and its cart. cookie-works-without-trust: a session continued before the fix.
 * lost-with-trust: a session or cart was lost after it. inconclusive: a part had fewer than two
 * answers per device, or there was no redeploy.
 */
export function secureCookieVerdict(history: readonly ShopOp[]): Verdict {
  const fix = history.findLast((op) => op.process === enginePrincipals.nemesis && op.action === 'redeploy');
  const answered = history.filter((op) => cartActions.has(op.action) && op.servedBy !== undefined);
  const without = fix ? answered.filter((op) => op.index < fix.index) : [];
  const withTrust = fix ? answered.filter((op) => op.index > fix.index) : [];
  const analysis = analyzeCarts(withTrust);
  const devices = new Set(answered.map((op) => op.process));
  const continuedWithout = without.filter((op) => op.sessionState === 'existing' || op.cookieBytes !== undefined);
  const brokenWith = notContinued(withTrust);
  const metrics = {
    devices: devices.size,
    requestsWithoutTrust: without.length,
    newWithoutTrust: without.filter((op) => op.sessionState === 'new').length,
    cookiesSetWithoutTrust: without.filter((op) => op.cookieBytes !== undefined).length,
    requestsWithTrust: withTrust.length,
    continuedWithTrust: withTrust.length - brokenWith.length - new Set(withTrust.map((op) => op.process)).size,
    wrongCartsWithTrust: analysis.wrongCarts,
  };
  if (devices.size === 0 || without.length < 2 * devices.size || withTrust.length < 2 * devices.size) return { observed: 'inconclusive', metrics };
  const early = continuedWithout[0];
  if (early) return { observed: 'cookie-works-without-trust', metrics, firstBad: firstBad(early, 'new: no cookie over what the node takes for plain http', `${early.sessionState}, ${early.cookieBytes ?? 0} cookie bytes`) };
  const lost = brokenWith[0];
  if (lost) return { observed: 'lost-with-trust', metrics, firstBad: firstBad(lost, 'the session it held', `${lost.sessionState}, ${formatCart(lost.cart)}`) };
  if (analysis.wrongCarts > 0) return { observed: 'lost-with-trust', metrics, firstBad: analysis.firstBad };
  return { observed: 'cookie-needs-trust-proxy', metrics };
}
