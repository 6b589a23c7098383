import type { ErrorRequestHandler } from 'express';
import type { Config } from './config.ts';
import { sessionStateHeader } from './contract.ts';
import { isDatabaseUnavailable } from './db.ts';
import { fromBodyParserError, fromRouterError, HttpError } from './errors.ts';
import { describeError, type Log } from './log.ts';

function fromDatabaseError(err: unknown): HttpError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return HttpError.storeUnavailable(err, 'the database is not answering; try again shortly');
}

/** Answers every error with its catalog status and a JSON body; a 500 means a bug and is logged with its stack. */
export function errorHandler(config: Readonly<Config>, log: Log): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof HttpError ? err : (fromBodyParserError(err) ?? fromRouterError(err) ?? fromDatabaseError(err));
    if (res.headersSent) {
      // express-session saves or touches after the answer when nothing saved before; the client has its answer.
      log(`${config.nodeName} ${req.method} ${req.path}: after the response: ${describeError(known?.cause ?? err)}`);
      return;
    }
    if (!known) {
      log(`${config.nodeName} ${req.method} ${req.path}: unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
      res.status(500).json(new HttpError('internal').toJSON());
      return;
    }
    if (known.cause) log(`${config.nodeName} ${req.method} ${req.path}: ${known.code}: ${describeError(known.cause)}`);
    // express-session touches or saves the session before it lets an answer end: with the store
    // not answering that would hold the 503 for another full deadline. No session, no touch.
    if (known.code === 'store_unavailable') delete (req as { session?: unknown }).session;
    // Set here rather than ahead on every request: most answers get theirs from markSessionState.
    if (!res.hasHeader(sessionStateHeader)) res.setHeader(sessionStateHeader, res.locals.sessionState ?? 'unknown');
    res.status(known.status).json(known.toJSON());
  };
}
