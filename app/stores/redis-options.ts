// How every Redis client of a node behaves (the session store's, the page cache's, a cluster's
// connection to each of its nodes). Tuned to fail fast during an outage: with the offline queue
// off a command on a broken connection is refused at once instead of waiting for a reconnect, and
// every command has a deadline, so a request answers 503 within about a second.
import type { RedisOptions } from 'ioredis';

const commandTimeoutMs = 1000;

/** Reconnect forever, backing off to 2 s, so the node recovers by itself when Redis returns. */
export const redisRetryMs = (attempt: number): number => Math.min(100 * 2 ** attempt, 2000);

export const failFastRedisOptions: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: commandTimeoutMs,
  commandTimeout: commandTimeoutMs,
  retryStrategy: redisRetryMs,
};
