// Verdicts on the cookie strategy: what a copy of an ended session's cookie still opens, and
// whether the shop refuses a cart before its cookie outgrows what a browser keeps. Pure
// functions of the history.
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

type Op = ShopOp;

/** What browsers keep of one cookie (RFC 6265's minimum, and what they enforce). */
export const browserCookieLimitBytes = 4096;

const sameCart = (a: Op['cart'], b: Op['cart']) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * A device copies another's session cookie; the owner then ends its session. replay-accepted:
 * every request with the copy, after the end, was answered as the same session with the cart
 * the copy carried, by two or more nodes. replay-refused: every such request found the session
 * lost (a server-side store destroyed it).
 */
export function replayVerdict(history: readonly Op[]): Verdict {
  const adopt = history.find((op) => op.action === shopActions.adoptCookie);
  const owner = adopt ? String(adopt.args?.from) : undefined;
  const end = history.find((op) => adopt && op.index > adopt.index && op.process === owner && op.action === shopActions.endSession && op.type === 'ok');
  if (!adopt || !end) return { observed: 'inconclusive', metrics: { cookieCopied: Boolean(adopt), sessionEnded: Boolean(end) } };
  const copied = history.filter((op) => op.index < adopt.index && op.process === owner && cartActions.has(op.action) && op.type === 'ok' && op.cart).at(-1);
  const replays = history.filter((op) => op.index > end.index && op.process === adopt.process && cartActions.has(op.action) && op.type === 'ok');
  const accepted = replays.filter((op) => op.sessionState === 'existing' && (op.cart?.length ?? 0) > 0 && sameCart(op.cart, copied?.cart));
  const refused = replays.filter((op) => op.sessionState === 'lost');
  const ownerAfter = history.find((op) => op.index > end.index && op.process === owner && cartActions.has(op.action) && op.type === 'ok');
  const metrics = {
    copiedCart: formatCart(copied?.cart),
    replaysAfterEnd: replays.length,
    accepted: accepted.length,
    acceptedBy: [...new Set(accepted.map((op) => op.servedBy))].sort().join(' '),
    refused: refused.length,
    ownerCartAfterEnd: formatCart(ownerAfter?.cart) || 'none',
  };
  if (!copied || (copied.cart?.length ?? 0) === 0 || replays.length === 0) return { observed: 'inconclusive', metrics };
  if (accepted.length === replays.length && new Set(accepted.map((op) => op.servedBy)).size >= 2) {
    return { observed: 'replay-accepted', metrics, firstBad: firstBad(accepted[0]!, 'a lost session: its owner ended it', `existing, ${formatCart(accepted[0]!.cart)}`) };
  }
  return { observed: refused.length === replays.length ? 'replay-refused' : 'inconclusive', metrics };
}

/**
 * A device adds lines until the shop refuses. refused-before-drop: a refusal came, and no answer
 * before it set a session cookie larger than a browser keeps. cookie-dropped: an answer set such
 * a cookie (a browser would silently drop it, and the session with it).
 */
export function cookieSizeVerdict(history: readonly Op[]): Verdict {
  const adds = history.filter((op) => op.action === shopActions.addItem);
  const kept = adds.filter((op) => op.type === 'ok' && op.cookieBytes !== undefined);
  const refusal = adds.find((op) => op.type === 'fail');
  const sizes = kept.map((op) => op.cookieBytes!);
  const lines = kept.map((op) => op.cart?.length ?? 0);
  const [first, last] = [kept[0], kept.at(-1)];
  const bytesPerLine = first && last && lines.at(-1)! > lines[0]! ? (last.cookieBytes! - first.cookieBytes!) / (lines.at(-1)! - lines[0]!) : undefined;
  const metrics = {
    linesKept: Math.max(0, ...lines),
    firstCookieBytes: first?.cookieBytes ?? null,
    largestCookieBytes: Math.max(0, ...sizes),
    bytesPerLine: bytesPerLine === undefined ? null : Math.round(bytesPerLine * 10) / 10,
    // Where the cart would reach the browser's limit at this rate.
    linesAtBrowserLimit: bytesPerLine && first ? lines[0]! + Math.floor((browserCookieLimitBytes - first.cookieBytes!) / bytesPerLine) : null,
    refusedWith: refusal ? `${refusal.status} ${String((refusal.value as { message?: unknown } | undefined)?.message ?? '')}` : 'none',
  };
  const dropped = kept.find((op) => op.cookieBytes! > browserCookieLimitBytes);
  if (dropped) return { observed: 'cookie-dropped', metrics, firstBad: firstBad(dropped, `a cookie of at most ${browserCookieLimitBytes} bytes`, `${dropped.cookieBytes} bytes`) };
  return { observed: refusal && kept.length > 0 ? 'refused-before-drop' : 'inconclusive', metrics };
}
