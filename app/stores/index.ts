import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl, type Config, type StoreKind } from '../config.ts';
import { describeError, type Log } from '../log.ts';
import { openFileStore } from './file.ts';
import { openMemoryStore } from './memory.ts';
import type { OpenedStore } from './opened-store.ts';
import { openPostgresStore } from './postgres.ts';
import { openRedisStore } from './redis.ts';

export type { OpenedStore } from './opened-store.ts';

const openers: Record<StoreKind, (config: Readonly<Config>, log: Log) => Promise<OpenedStore>> = {
  memory: openMemoryStore,
  file: openFileStore,
  redis: openRedisStore,
  postgres: openPostgresStore,
};

/** Where the configured store keeps sessions, without credentials. */
export function storeTarget(config: Readonly<Config>): string {
  switch (config.sessionStore) {
    case 'memory':
      return 'process memory';
    case 'file':
      return resolve(config.sessionFileDir);
    case 'redis':
      return redactUrl(config.redisUrl!);
    case 'postgres':
      return redactUrl(config.databaseUrl!);
  }
}

const firstRetryDelayMs = 250;
const maxRetryDelayMs = 5000;

/**
 * Opens the configured store, waiting for it with exponential backoff (and saying why) while it
 * does not answer, as happens when a node starts before its Redis or PostgreSQL. Aborting the
 * signal (a shutdown during start-up) stops the waiting.
 */
export async function openStore(config: Readonly<Config>, log: Log, signal?: AbortSignal): Promise<OpenedStore> {
  const open = openers[config.sessionStore];
  for (let attempt = 1; ; attempt++) {
    try {
      return await open(config, log);
    } catch (err) {
      signal?.throwIfAborted();
      const delayMs = Math.min(firstRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
      log(`${config.sessionStore} store at ${storeTarget(config)} not ready (${describeError(err)}); attempt ${attempt}, retrying in ${delayMs} ms`);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
