import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';
import { redactUrl, type Config } from '../config.ts';
import { describeError, type Log } from '../log.ts';
import type { OpenedStore } from './opened-store.ts';

const PgStore = connectPgSimple(session);
const timeoutMs = 1000;

// connect-pg-simple on a pg Pool. Connection and query deadlines make an outage answer 503
// within about a second; the pool opens new connections by itself when PostgreSQL returns.
export async function openPostgresStore(config: Readonly<Config>, log: Log): Promise<OpenedStore> {
  const target = redactUrl(config.databaseUrl!);
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: 10,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 10_000,
  });
  // Idle connections die when PostgreSQL restarts; without a listener that would crash the node.
  pool.on('error', (err) => log(`postgres at ${target}: idle connection lost: ${describeError(err)}`));
  const store = new PgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: true,
    ttl: config.sessionTtlSeconds,
    pruneSessionInterval: 60,
    errorLog: (...args: unknown[]) => log(`postgres session store: ${args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' ')}`),
  });
  try {
    // Creates the table if missing and drops expired rows now. connect-pg-simple remembers a failed
    // table creation forever, so a failure here discards this store and the caller opens a new one.
    await new Promise<void>((resolve, reject) => store.pruneSessions((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    store.close();
    await pool.end().catch(() => {});
    throw err;
  }
  return {
    kind: 'postgres',
    store,
    target,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}
