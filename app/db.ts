import pg from 'pg';
import { redactUrl } from './config.ts';
import { describeError, type Log } from './log.ts';

const timeoutMs = 1000;

/**
 * A pg Pool for DATABASE_URL, shared by the PostgreSQL session store and the login tables, of at
 * most max connections (DATABASE_POOL_MAX: every node's add up against PostgreSQL's
 * max_connections, see pool-exhaustion). Connection and query deadlines make an outage answer 503
 * within about a second; the pool opens new connections by itself when PostgreSQL returns.
 */
export function createPool(databaseUrl: string, log: Log, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 10_000,
  });
  // Idle connections die when PostgreSQL restarts; without a listener that would crash the node.
  pool.on('error', (err) => log(`postgres at ${redactUrl(databaseUrl)}: idle connection lost: ${describeError(err)}`));
  return pool;
}

/**
 * Whether an error means PostgreSQL could not be reached or stopped answering (a 503), as opposed
 * to a bug in a statement (a 500): connection failures, deadlines, server shutdown, and a server
 * out of resources (class 53: 53300, too many connections).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (/^(08|57P|53)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code))) return true;
  const message = err instanceof Error ? err.message : '';
  return /timeout exceeded when trying to connect|Query read timeout|Connection terminated|Client has encountered a connection error/.test(message);
}
