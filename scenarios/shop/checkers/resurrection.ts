// Whether an ended session stays ended when a request that read it before the end writes after
// it. Each trial: the device ends its session while another of its requests is in flight, and a
// copy of the old cookie (another tab, or whoever holds the cookie) reads the cart afterwards.
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { formatCart, shopActions, type ShopOp } from '../actions.ts';

/** The device that reads with the ended session's cookie after each trial. */
export const oldCookieReader = 'old-cookie';

/**
 * session-resurrected: after the session was ended (DELETE /session answered 200), a read with
 * its cookie found it again (existing). session-stayed-ended: every such read found it lost.
 * inconclusive: no trial completed.
 */
export function resurrectionVerdict(history: readonly ShopOp[]): Verdict {
  const ended = history.filter((op) => op.action === shopActions.endSession && op.type === 'ok');
  // A trial: the reader adopts the device's cookie (the op records its session), and its next
  // read counts when a DELETE answered before that read began had ended that very session.
  const trials = history
    .filter((op) => op.process === oldCookieReader && op.action === shopActions.adoptCookie)
    .map((adopt) => ({ adopt, read: history.find((op) => op.process === oldCookieReader && op.index > adopt.index && op.action === shopActions.viewCart) }))
    .filter(({ adopt, read }) => read?.type === 'ok' && ended.some((end) => end.args?.ended === adopt.session && end.endedMs <= read.startedMs))
    .map(({ read }) => read!);
  const resurrected = trials.filter((read) => read.sessionState === 'existing');
  const metrics = {
    trials: trials.length,
    resurrected: resurrected.length,
    resurrectedShare: trials.length ? Number((resurrected.length / trials.length).toFixed(2)) : 0,
    nodes: [...new Set(history.filter((op) => op.action === shopActions.addItem).map((op) => op.servedBy))].sort().join(' '),
  };
  const first = resurrected[0];
  if (first) return { observed: 'session-resurrected', metrics, firstBad: firstBad(first, 'the ended session lost', `existing, ${formatCart(first.cart)}`) };
  return { observed: trials.length > 0 ? 'session-stayed-ended' : 'inconclusive', metrics };
}
