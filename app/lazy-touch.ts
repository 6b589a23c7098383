// Lazy touch (SESSION_TOUCH_AFTER_SECONDS). express-session extends a session on every request: a
// write to the store for a read (Redis EXPIRE, a row UPDATE in PostgreSQL, a file rewritten, and
// the cart's expiry with it). Here a read extends the session only once that long has passed since
// it was last extended, and then in the store and in the cookie together, with one expiry: the
// cookie is sent again exactly when the store's expiry moves, so neither outlives the other. The
// price: a session ends TTL after its last extension, up to SESSION_TOUCH_AFTER_SECONDS before
// "TTL after its last request".
import { parse as parseCookies } from 'cookie';
import { sign } from 'cookie-signature';
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-session';
import onHeaders from 'on-headers';
import type { Config } from './config.ts';
import { sessionCookieName } from './contract.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    /** This request extends the session: its cookie goes out again with the new expiry. */
    extendSession?: boolean;
  }
}

/** On req.session, for the store's touch: false when this request must not extend the session. */
const touchDue = Symbol('touchDue');
type Marked = { [touchDue]?: boolean };

const wrapped = new WeakSet<Store>();

/**
 * Wraps the store's touch in place, outermost (after the cart's expiry was made to follow it): a
 * touch that is not due is answered at once and writes nothing, neither the session nor its cart.
 */
export function touchOnlyWhenDue(store: Store): void {
  if (!store.touch || wrapped.has(store)) return;
  wrapped.add(store);
  const touch = store.touch;
  store.touch = (sid, session, callback) => {
    if ((session as Marked)[touchDue] === false) return callback?.();
    touch.call(store, sid, session, callback);
  };
}

/** True when the cookie came signed with an older secret (a rotation): it must go out again, newly signed. */
function signedWithOlderSecret(req: Request, first: string): boolean {
  let sent: string | undefined;
  try {
    sent = req.headers.cookie ? parseCookies(req.headers.cookie)[sessionCookieName] : undefined;
  } catch {
    sent = undefined;
  }
  return sent !== undefined && sent !== `s:${sign(req.sessionID, first)}`;
}

/**
 * After express-session loaded an existing session: is an extension due? The session's stored
 * expiry says when it was last extended (that time plus the TTL). A cookie signed with an older
 * secret is extended at once, so that it is sent again with the first secret's signature.
 */
export function decideExtension(config: Readonly<Config>): RequestHandler {
  const [first] = config.sessionSecrets;
  // With one secret every verified cookie carries its signature: no HMAC per request to check it.
  const rotating = config.sessionSecrets.length > 1;
  return (req, res, next) => {
    if (res.locals.sessionState === 'existing' && req.session && config.sessionStore !== 'cookie') {
      const storedExpiresMs = req.session.cookie.expires?.getTime();
      const sinceLastMs = storedExpiresMs === undefined ? Infinity : Date.now() + config.sessionTtlSeconds * 1000 - storedExpiresMs;
      const due = sinceLastMs >= config.sessionTouchAfterSeconds * 1000 || (rotating && signedWithOlderSecret(req, first!));
      (req.session as unknown as Marked)[touchDue] = due;
      res.locals.extendSession = due;
    }
    next();
  };
}

function setsSessionCookie(res: Response): boolean {
  return [res.getHeader('set-cookie') ?? []].flat().some((line) => String(line).startsWith(`${sessionCookieName}=`));
}

/**
 * Before express-session, so that this runs after its own header step (newest listener first): when
 * the extension is due and express-session sends no cookie itself (it does for a new or changed
 * session), the cookie goes out with the new expiry, as express-session would write it.
 */
export function sendExtendedCookie(config: Readonly<Config>): RequestHandler {
  const [first] = config.sessionSecrets;
  return (req, res, next) => {
    // Only a session that came with the request can be extended.
    if (!req.headers.cookie?.includes(`${sessionCookieName}=`)) return next();
    onHeaders(res, () => {
      if (!res.locals.extendSession || !req.session || setsSessionCookie(res)) return;
      const secure = config.cookieSecure === 'auto' ? req.secure : config.cookieSecure;
      // express-session never sends a Secure cookie over what it takes for plain http; neither does this.
      if (secure && !req.secure) return;
      const expires = new Date(Date.now() + config.sessionTtlSeconds * 1000);
      res.cookie(sessionCookieName, `s:${sign(req.sessionID, first!)}`, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires });
    });
    next();
  };
}
