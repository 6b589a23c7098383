import type { Request, Response } from 'express';
import type { Config } from './config.ts';
import { servedByHeader, sessionTag } from './contract.ts';
import type { Log } from './log.ts';

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
  return (req, res) => {
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
  };
}
