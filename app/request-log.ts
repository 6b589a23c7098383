import type { Request, Response } from 'express';
import type { Config } from './config.ts';
import { servedByHeader, sessionTag } from './contract.ts';
import type { Log } from './log.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    /** When the node took the request (performance.now()), for the log line's duration. */
    startedAt?: number;
  }
}

/** What the node does to every answer, errors included, before anything else runs. */
export type AnswerStep = (req: Request, res: Response) => void;

/** Names the serving node, and never lets an answer be cached. */
export function servedBy(config: Readonly<Config>): AnswerStep {
  return (_req, res) => {
    res.setHeader(servedByHeader, config.nodeName);
    res.setHeader('Cache-Control', 'no-store');
  };
}

/**
 * One line per request, made to be read interleaved with other nodes' lines:
 * `server_1 GET /cart 200 existing sid=1a2b3c4d store=redis 1.4ms`. The session id is hashed:
 * a log reader can follow a session but not steal it.
 */
export function requestLog(config: Readonly<Config>, log: Log): AnswerStep {
  // One listener for every response (it finds its request and start on the response), rather
  // than a closure made per request.
  function logLine(this: Response) {
    const { req, statusCode, locals } = this;
    // Health checks arrive every few seconds; only their failures are worth a line.
    if (req.path === '/healthz' && statusCode === 200) return;
    const durationMs = performance.now() - locals.startedAt!;
    const aborted = this.writableFinished ? '' : ' (client went away)';
    log(
      `${config.nodeName} ${req.method} ${req.path} ${statusCode}${aborted} ${locals.sessionState ?? 'unknown'} ` +
        `sid=${sessionTag(req.sessionID)} store=${config.sessionStore} ${durationMs.toFixed(1)}ms`,
    );
  }
  return (_req, res) => {
    res.locals.startedAt = performance.now();
    res.on('close', logLine);
  };
}
