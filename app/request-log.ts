import type { RequestHandler } from 'express';
import type { Config } from './config.ts';
import { servedByHeader, sessionTag } from './contract.ts';
import type { Log } from './log.ts';

/** Names the serving node on every response, errors included, and never lets one be cached. */
export function servedBy(config: Readonly<Config>): RequestHandler {
  return (_req, res, next) => {
    res.setHeader(servedByHeader, config.nodeName);
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/**
 * One line per request, made to be read interleaved with other nodes' lines:
 * `server_1 GET /cart 200 existing sid=1a2b3c4d store=redis 1.4ms`. The session id is hashed:
 * a log reader can follow a session but not steal it.
 */
export function requestLog(config: Readonly<Config>, log: Log): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.on('close', () => {
      // Health checks arrive every few seconds; only their failures are worth a line.
      if (req.path === '/healthz' && res.statusCode === 200) return;
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const aborted = res.writableFinished ? '' : ' (client went away)';
      log(
        `${config.nodeName} ${req.method} ${req.path} ${res.statusCode}${aborted} ${res.locals.sessionState ?? 'unknown'} ` +
          `sid=${sessionTag(req.sessionID)} store=${config.sessionStore} ${durationMs.toFixed(1)}ms`,
      );
    });
    next();
  };
}
