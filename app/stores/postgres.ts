import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import { redactUrl, type Config } from '../config.ts';
import { createPool } from '../db.ts';
import { describeError, type Log } from '../log.ts';
import type { OpenedStore } from './opened-store.ts';

const PgStore = connectPgSimple(session);

// connect-pg-simple on its own pool (see createPool for the deadlines that make outages fail fast).
export async function openPostgresStore(config: Readonly<Config>, log: Log): Promise<OpenedStore> {
  const target = redactUrl(config.databaseUrl!);
  const pool = createPool(config.databaseUrl!, log);
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
