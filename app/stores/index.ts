import { resolve } from 'node:path';
import type pg from 'pg';
import { redactUrl, type Config, type StoreKind } from '../config.ts';
import type { Log } from '../log.ts';
import { retryUntilOpen } from '../retry.ts';
import { openCookieStore } from './cookie.ts';
import { openFileStore } from './file.ts';
import { openMemoryStore } from './memory.ts';
import { cartFollowsSession } from '../carts/follow-session.ts';
import { cartLoadsWithSession } from '../carts/loaded-cart.ts';
import { touchOnlyWhenDue } from '../lazy-touch.ts';
import type { OpenedStore } from './opened-store.ts';
import { openPostgresStore } from './postgres.ts';
import { openRedisStore, redisTarget } from './redis.ts';

export type { OpenedStore } from './opened-store.ts';

const openers: Record<StoreKind, (config: Readonly<Config>, log: Log, pool?: pg.Pool) => Promise<OpenedStore>> = {
  memory: openMemoryStore,
  file: openFileStore,
  redis: openRedisStore,
  postgres: openPostgresStore,
  cookie: openCookieStore,
};

/** Where the configured store keeps sessions, without credentials. */
export function storeTarget(config: Readonly<Config>): string {
  switch (config.sessionStore) {
    case 'memory':
      return 'process memory';
    case 'file':
      return resolve(config.sessionFileDir);
    case 'redis':
      return redisTarget(config);
    case 'postgres':
      return redactUrl(config.databaseUrl!);
    case 'cookie':
      return "the client's cookie";
  }
}

/**
 * Opens the configured store, waiting for it (see retryUntilOpen) while it does not answer. The
 * PostgreSQL store uses pool when given (the node's one pool for DATABASE_URL).
 */
export async function openStore(config: Readonly<Config>, log: Log, signal?: AbortSignal, pool?: pg.Pool): Promise<OpenedStore> {
  const open = openers[config.sessionStore];
  const opened = await retryUntilOpen(`${config.sessionStore} store at ${storeTarget(config)}`, () => open(config, log, pool), log, signal);
  if (config.cartMode === 'atomic' && opened.store && opened.carts) {
    cartFollowsSession(opened.store, opened.carts);
    if (opened.readSessionAndCart) cartLoadsWithSession(opened.store, opened.readSessionAndCart);
  }
  if (opened.store && !config.sessionStoreTouch) {
    // A read never moves the store's expiry, neither the session's nor its cart's.
    opened.store.touch = (_sid, _session, callback) => callback?.();
  }
  if (opened.store) touchOnlyWhenDue(opened.store);
  return opened;
}
