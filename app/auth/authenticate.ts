import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import type { UserSession } from './auth-store.ts';
import type { Auth } from './index.ts';
import { parse as parseCookies } from 'cookie';
import { tokenCookieName } from '../contract.ts';
import { isWellFormedToken, tokenHash } from './tokens.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The logged-in user's session row, when the request carried a valid token. */
    userSession?: UserSession;
    /** Why the request's token was set aside (lenient checks only): the page says so. */
    loginNotice?: string;
  }
}

/** The token from `Authorization: Bearer …`, else from the lab_token cookie. */
export function requestToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  if (!req.headers.cookie) return undefined;
  // cookie's parser leaves a value that does not percent-decode as it is (a malformed token is then refused as unknown).
  return parseCookies(req.headers.cookie)[tokenCookieName];
}

export function clearTokenCookie(res: Response): void {
  res.clearCookie(tokenCookieName, { path: '/' });
}

/**
 * Checks the request's token against the database on every request, on every node: no cache, so
 * a revocation takes effect everywhere at once. A token that does not hold answers 401 with its
 * reason (expired, revoked, unknown), and its cookie is cleared. Lenient (for the HTML page): the
 * request goes on as anonymous, with the reason in res.locals.loginNotice.
 */
export function authenticate(_config: Readonly<Config>, auth: Auth, lenient = false): RequestHandler {
  return async (req, res, next) => {
    const token = requestToken(req);
    if (token === undefined) return next();
    const refuse = (code: 'unknown_session' | 'session_expired' | 'session_revoked') => {
      clearTokenCookie(res);
      if (!lenient) return next(new HttpError(code));
      res.locals.loginNotice = new HttpError(code).message;
      next();
    };
    if (!isWellFormedToken(token)) return refuse('unknown_session');
    let session: UserSession | undefined;
    try {
      session = await auth.store.findSession(tokenHash(token));
    } catch (err) {
      return next(HttpError.storeUnavailable(err, 'the login database is not answering; try again shortly'));
    }
    if (!session) return refuse('unknown_session');
    if (session.revokedAt) return refuse('session_revoked');
    // Judged by the database's clock, which set the expiry; never by this node's.
    if (session.expired) return refuse('session_expired');
    res.locals.userSession = session;
    // Last seen (and a sliding renewal) is written at most once a minute, or twice per TTL when shorter.
    const everySeconds = Math.min(60, auth.ttlSeconds / 2);
    if (Date.now() - session.lastSeenAt.getTime() > everySeconds * 1000) {
      // Losing a last-seen update is harmless; a sliding renewal is retried on the next request.
      await auth.store.touchSession(session.id, everySeconds, auth.sliding ? auth.ttlSeconds : undefined).catch(() => {});
    }
    next();
  };
}

/** For routes that need a logged-in user. */
export function requireSession(res: Response): UserSession {
  if (!res.locals.userSession) throw new HttpError('unauthenticated');
  return res.locals.userSession;
}
