import type { IRouter, ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { sessionStateHeader } from '../contract.ts';
import { errorCatalog, HttpError } from '../errors.ts';
import { describeError, type Log } from '../log.ts';
import type { OpenedStore } from '../stores/index.ts';
import { withTimeout } from '../../lib/time.ts';

const pingTimeoutMs = 1000;

/**
 * 200 when the store answers, 503 when it does not. It runs behind the probe session middleware,
 * which reads a session when the probe sends a cookie but never creates one.
 */
export function healthzRoutes(router: IRouter, config: Readonly<Config>, opened: OpenedStore, probeSession: RequestHandler, log: Log): void {
  const status = { node: config.nodeName, store: opened.kind };
  const unhealthy = (res: Response, cause: unknown) => {
    log(`${config.nodeName} health: ${opened.kind} store at ${opened.target} not answering: ${describeError(cause)}`);
    if (!res.hasHeader(sessionStateHeader)) res.setHeader(sessionStateHeader, 'unknown');
    res.status(503).json({ ok: false, ...status, error: 'store_unavailable', message: errorCatalog.store_unavailable.message });
  };
  router.get('/healthz', probeSession, async (_req, res) => {
    try {
      await withTimeout(opened.ping(), pingTimeoutMs, 'the store ping');
      res.json({ ok: true, ...status });
    } catch (err) {
      unhealthy(res, err);
    }
  });
  // Reading the probe's session failed: the same answer as a failed ping.
  router.use('/healthz', ((err, _req, res, next) => {
    if (err instanceof HttpError && err.code === 'store_unavailable') unhealthy(res, err.cause);
    else next(err);
  }) as ErrorRequestHandler);
}
