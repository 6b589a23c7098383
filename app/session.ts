import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { type Store } from 'express-session';
import type { Config } from './config.ts';
import { cookieSession, rejectedCookie } from './cookie-session.ts';
import { HttpError } from './errors.ts';
import type { OpenedStore } from './stores/index.ts';

import { sessionCookieName, sessionStateHeader, type SessionState } from './contract.ts';


declare module 'express-serve-static-core' {
  interface Locals {
    /** The session id the cookie claims (see claimedSessionId), read before the store is asked. */
    cookieSessionId?: string;
    sessionState?: SessionState;
  }
}

/**
 * The session id the `lab_sid` cookie claims (`s:<id>.<signature>`), without checking the
 * signature: express-session checks it, and keeps the claimed id as req.sessionID only when some
 * secret verifies it and the store has the session; otherwise it makes a new random id. So the
 * claim equals req.sessionID exactly when the session continues, and one HMAC per request is
 * enough. rejectedCookie when a cookie came that claims nothing readable; undefined when none came.
 */
export function claimedSessionId(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader?.includes(`${sessionCookieName}=`)) return undefined;
  let value: string | undefined;
  try {
    value = parseCookies(cookieHeader)[sessionCookieName];
  } catch {
    return undefined;
  }
  if (value === undefined) return undefined;
  const dot = value.lastIndexOf('.');
  return value.startsWith('s:') && dot > 2 ? value.slice(2, dot) : rejectedCookie;
}

/**
 * The same store seen through another object: express-session warns about a MemoryStore in
 * production once per middleware, and the node has two (one for probes), so the probes' one is
 * given this view and the warning is printed once.
 */
/** Used for MemoryStore only, which has every method. */
class StoreView extends session.Store {
  constructor(private readonly inner: Store) {
    super();
  }

  override get(...args: Parameters<Store['get']>): void {
    this.inner.get(...args);
  }

  override set(...args: Parameters<Store['set']>): void {
    this.inner.set(...args);
  }

  override destroy(...args: Parameters<Store['destroy']>): void {
    this.inner.destroy(...args);
  }

  override touch(...args: Parameters<NonNullable<Store['touch']>>): void {
    this.inner.touch?.(...args);
  }
}

/**
 * express-session middleware around the opened store. The shop creates and saves a session on a
 * visitor's first request (saveUninitialized), like the article's /session demo: every client
 * gets its cookie at once, so what the store does with it shows from the first step. Production
 * apps usually save only modified sessions, because probes and bots would fill the store otherwise
 * (memory-growth and probe-session-flood show that cost): SESSION_SAVE_UNINITIALIZED=false. The
 * node's own health path (/healthz) never creates sessions.
 */
export function createSessionMiddleware(config: Readonly<Config>, opened: OpenedStore, forProbes: boolean): RequestHandler {
  if (!opened.store) return cookieSession(config, forProbes);
  const middleware = session({
    name: sessionCookieName,
    secret: config.sessionSecrets,
    store: forProbes && opened.store instanceof session.MemoryStore ? new StoreView(opened.store) : opened.store,
    resave: false,
    saveUninitialized: !forProbes && config.sessionSaveUninitialized,
    rolling: !forProbes && config.sessionRolling,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      maxAge: config.sessionTtlSeconds * 1000,
    },
  });
  // Whatever express-session passes on comes from the store: the client sees a 503, not a 500.
  // It can call on twice for one request (a failed touch or save at the end of the answer, after
  // an earlier error): the second call would reach Express's final handler, which destroys the
  // connection of an answer already sent (nginx then answers the next request on it with a 502).
  return (req, res, next) => {
    let passedOn = false;
    middleware(req, res, (err?: unknown) => {
      if (passedOn) return;
      passedOn = true;
      next(err ? HttpError.storeUnavailable(err) : undefined);
    });
  };
}

/** Reads the cookie's claim before express-session replaces a lost id with a new one. */
export function readSessionCookie(): RequestHandler {
  return (req, res, next) => {
    res.locals.cookieSessionId = claimedSessionId(req.headers.cookie);
    res.locals.sessionState = 'unknown';
    next();
  };
}

/** After express-session: names the session state in res.locals and the X-Session-State header. */
export function markSessionState(req: Request, res: Response, next: NextFunction): void {
  // express-session skips the session when its store reported a disconnect (and for a path
  // outside its cookie's path, which createApp answers with 404 before this runs).
  if (!req.session) return next(new HttpError('store_unavailable'));
  const cookieId = res.locals.cookieSessionId;
  const state: SessionState = cookieId === undefined ? 'new' : cookieId === req.sessionID ? 'existing' : 'lost';
  res.locals.sessionState = state;
  res.setHeader(sessionStateHeader, state);
  next();
}

/** Saves the session now, so that a store failure becomes a 503 instead of a silent loss after the answer. */
export async function saveSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err instanceof HttpError ? err : HttpError.storeUnavailable(err)) : resolve())));
}

/** A new session id with nothing in it; the old session is destroyed (and its cart with it). */
export async function regenerateSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(HttpError.storeUnavailable(err)) : resolve())));
}

/**
 * Shop routes store a new session before answering, for the same reason (unless new sessions are
 * stored only once they hold something, SESSION_SAVE_UNINITIALIZED=false, or saved as the answer
 * ends, SESSION_SAVE_BEFORE_ANSWER=false).
 */
export function persistNewSession(config: Readonly<Config>): RequestHandler {
  return async (req, res, next) => {
    try {
      if (config.sessionSaveUninitialized && config.sessionSaveBeforeAnswer && res.locals.sessionState !== 'existing') await saveSession(req);
      next();
    } catch (err) {
      next(err);
    }
  };
}
