import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type pg from 'pg';
import { redactUrl, type Config } from '../config.ts';
import { createPool } from '../db.ts';
import { describeError, type Log } from '../log.ts';
import { createCartTable, postgresCarts, readSessionAndCart } from '../carts/postgres.ts';
import type { OpenedStore } from './opened-store.ts';
import { postgresTouchRecordsExpiry } from './touch-records-expiry.ts';

const PgStore = connectPgSimple(session);

// connect-pg-simple on the node's pool when it has one (login shares it), else on a pool of its
// own (see createPool for the deadlines that make outages fail fast).
export async function openPostgresStore(config: Readonly<Config>, log: Log, sharedPool?: pg.Pool): Promise<OpenedStore> {
  const target = redactUrl(config.databaseUrl!);
  const pool = sharedPool ?? createPool(config.databaseUrl!, log, config.databasePoolMax);
  const endOwnPool = async () => {
    if (!sharedPool) await pool.end();
  };
  const table = 'session';
  const store = new PgStore({
    pool,
    tableName: table,
    createTableIfMissing: true,
    ttl: config.sessionTtlSeconds,
    pruneSessionInterval: 60,
    errorLog: (...args: unknown[]) => log(`postgres session store: ${args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' ')}`),
  });
  postgresTouchRecordsExpiry(store, pool, table, config.sessionTtlSeconds);
  try {
    // Creates the table if missing and drops expired rows now. connect-pg-simple remembers a failed
    // table creation forever, so a failure here discards this store and the caller opens a new one.
    await new Promise<void>((resolve, reject) => store.pruneSessions((err) => (err ? reject(err) : resolve())));
    await pool.query(createCartTable);
  } catch (err) {
    store.close();
    await endOwnPool().catch(() => {});
    throw err;
  }
  return {
    kind: 'postgres',
    store,
    carts: postgresCarts(pool),
    readSessionAndCart: readSessionAndCart(pool),
    target,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    countSessions: async () => {
      const { rows } = await pool.query<{ live: string }>(`SELECT count(*) AS live FROM "${table}" WHERE expire >= now()`);
      return Number(rows[0]!.live);
    },
    close: async () => {
      await store.close();
      await endOwnPool();
    },
  };
}
