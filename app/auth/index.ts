import { redactUrl, type Config } from '../config.ts';
import type pg from 'pg';
import { describeError, type Log } from '../log.ts';
import { retryUntilOpen } from '../retry.ts';
import { AuthStore } from './auth-store.ts';
import { migrate } from './schema.ts';

export { AuthStore } from './auth-store.ts';

/** How long an expired or revoked session still answers with its reason before it is deleted. */
export const sweepGraceSeconds = 24 * 3600;
export const sweepIntervalMs = 10 * 60 * 1000;
export const failureWindowSeconds = 60;

/** Login with DB-backed session tokens; present whenever DATABASE_URL is set. */
export interface Auth {
  store: AuthStore;
  ttlSeconds: number;
  sliding: boolean;
  close(): Promise<void>;
}

/** Login on the node's pool for DATABASE_URL (its owner ends it): the tables brought up to date, a sweeper started. */
export async function openAuth(config: Readonly<Config>, pool: pg.Pool, log: Log, signal?: AbortSignal): Promise<Auth> {
  await retryUntilOpen(`login tables at ${redactUrl(config.databaseUrl!)}`, () => migrate(pool), log, signal);
  const store = new AuthStore(pool);
  const sweeper = setInterval(() => {
    store.sweep(sweepGraceSeconds, failureWindowSeconds).catch((err) => log(`${config.nodeName} sweeping expired sessions: ${describeError(err)}`));
  }, sweepIntervalMs);
  sweeper.unref();
  return {
    store,
    ttlSeconds: config.sessionTokenTtlSeconds,
    sliding: config.sessionTokenSliding,
    close: async () => {
      clearInterval(sweeper);
    },
  };
}
