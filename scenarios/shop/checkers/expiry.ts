// Whether a session ends with its cookie: each read is judged against the cookie the device sent,
// valid until the Expires of the last Set-Cookie it got (a browser would drop an expired cookie;
// the device keeps sending it, as whoever holds a copy of it would).
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { shopActions, type ShopOp } from '../actions.ts';

/** Expires has a resolution of a second: a read this close to it is not judged. */
const marginMs = 1000;

interface Judged {
  op: ShopOp;
  /** How long the cookie it sent was still valid when it was sent (negative: expired that long before). */
  validForMs: number;
}

const seconds = (ms: number) => `${(Math.abs(ms) / 1000).toFixed(1)} s`;

/**
 * logged-out-with-valid-cookie: a read found the session lost while the cookie it sent was still
 * valid. kept-past-cookie: a read found it existing with a cookie past its expiry.
 * expiry-together: neither, and reads with a valid cookie found it while one with an expired
 * cookie did not. inconclusive: the run lacks a read of one of those two kinds.
 */
export function expiryVerdict(history: readonly ShopOp[]): Verdict {
  const device = history.find((op) => op.action === shopActions.addItem)?.process;
  let validUntilMs: number | undefined;
  const judged: Judged[] = [];
  for (const op of history.filter((o) => o.process === device)) {
    if (op.action === shopActions.viewCart && op.type === 'ok' && validUntilMs !== undefined && Math.abs(validUntilMs - op.startedMs) > marginMs) {
      judged.push({ op, validForMs: validUntilMs - op.startedMs });
    }
    if (op.cookieExpiresInSeconds !== undefined) validUntilMs = op.endedMs + op.cookieExpiresInSeconds * 1000;
  }
  const valid = judged.filter((j) => j.validForMs > 0);
  const expired = judged.filter((j) => j.validForMs < 0);
  const metrics = {
    readsWithValidCookie: valid.length,
    lostWithValidCookie: valid.filter((j) => j.op.sessionState === 'lost').length,
    readsWithExpiredCookie: expired.length,
    keptWithExpiredCookie: expired.filter((j) => j.op.sessionState === 'existing').length,
  };
  const lost = valid.find((j) => j.op.sessionState === 'lost');
  if (lost) return { observed: 'logged-out-with-valid-cookie', metrics, firstBad: firstBad(lost.op, `the session of its cookie, valid for another ${seconds(lost.validForMs)}`, 'lost') };
  const kept = expired.find((j) => j.op.sessionState === 'existing');
  if (kept) return { observed: 'kept-past-cookie', metrics, firstBad: firstBad(kept.op, `the session ended with its cookie, expired ${seconds(kept.validForMs)} before`, `existing, ${kept.op.cart?.length ?? 0} cart lines`) };
  const together = valid.length > 0 && expired.some((j) => j.op.sessionState === 'lost');
  return { observed: together ? 'expiry-together' : 'inconclusive', metrics };
}
