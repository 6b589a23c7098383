import express, { type Express } from 'express';
import type { Config } from './config.ts';
import { HttpError } from './errors.ts';
import { stdoutLog, type Log } from './log.ts';
import { errorHandler } from './error-handler.ts';
import { requestLog, servedBy } from './request-log.ts';
import { securityHeaders } from './security-headers.ts';
import { authenticate } from './auth/authenticate.ts';
import type { Auth } from './auth/index.ts';
import { requestCarts } from './carts/request-cart.ts';
import { authRoutes } from './routes/auth.ts';
import { cartRoutes } from './routes/cart.ts';
import { debugRoutes } from './routes/debug.ts';
import { healthzRoutes } from './routes/healthz.ts';
import { pageRoutes } from './routes/page.ts';
import { productRoutes } from './routes/products.ts';
import type { ProductCache } from './product-cache.ts';
import { sessionRoutes } from './routes/session.ts';
import { decideExtension, sendExtendedCookie } from './lazy-touch.ts';
import { createSessionMiddleware, markSessionState, persistNewSession, readSessionCookie } from './session.ts';
import type { OpenedStore } from './stores/index.ts';

export const bodyLimitBytes = 16 * 1024;

/** The shop: one Express app per node, around a store that is already open (and the login tables, when DATABASE_URL is set). */
export function createApp(config: Readonly<Config>, opened: OpenedStore, log: Log = stdoutLog, auth?: Auth, cache?: ProductCache): Express {
  const app = express();
  app.disable('x-powered-by');
  // Cart answers change with every request; a 304 would hide which node answered.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);

  // One middleware for what every answer gets, not one each: every layer is a step of the
  // router's on every request, and a cached read costs only a few dozen more.
  const everyAnswer = [servedBy(config), requestLog(config, log), securityHeaders()];
  app.use((req, res, next) => {
    for (const step of everyAnswer) step(req, res);
    // A request-target whose path, as parsed, does not begin with "/" (`//a#@b` parses to "b") is
    // outside the session cookie's path, so express-session gives it no session, which would read
    // as a store failure (503). No route is there.
    next(req.path.startsWith('/') ? undefined : new HttpError('not_found', `no route for ${req.method} ${req.path}`));
  });

  const sessionCookie = readSessionCookie();
  const probeSession = [sessionCookie, createSessionMiddleware(config, opened, true), markSessionState];
  const probe = express.Router().use(probeSession);
  // Routes are added to the app itself, not to a router of their own each: a nested router costs
  // every request that passes through it, even one for another path.
  healthzRoutes(app, config, opened, probe, log);
  debugRoutes(app, config, opened, probe);
  productRoutes(app, config, cache);

  app.use(sessionCookie, sendExtendedCookie(config), createSessionMiddleware(config, opened, false), markSessionState, decideExtension(config), persistNewSession(config));
  // The page shows a stale login as a notice; every other route refuses it with 401.
  const cartOf = requestCarts(config, opened.carts);
  pageRoutes(app, config, cartOf, auth, auth ? authenticate(config, auth, true) : undefined);
  if (auth) app.use(authenticate(config, auth));
  app.use(express.json({ limit: bodyLimitBytes }));
  sessionRoutes(app, config);
  cartRoutes(app, config, cartOf, auth);
  authRoutes(app, config, cartOf, auth);
  app.use((req, _res, next) => next(new HttpError('not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(config, log));
  return app;
}
