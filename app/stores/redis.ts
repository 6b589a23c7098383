import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl, type Config } from '../config.ts';
import { describeError, type Log } from '../log.ts';
import { readSessionAndCart, redisCarts } from '../carts/redis.ts';
import { storeLength } from './store-callback.ts';
import type { OpenedStore } from './opened-store.ts';
import { replicatedBy, sessionWritesReplicated } from './redis-wait.ts';
import { redisTouchRecordsExpiry } from './touch-records-expiry.ts';

const commandTimeoutMs = 1000;

/** Where the node finds Redis, for logs: the URL, or the sentinels and the primary's name. */
export function redisTarget(config: Readonly<Config>): string {
  if (!config.redisSentinels) return redactUrl(config.redisUrl!);
  return `the primary "${config.redisMasterName}" of sentinels ${config.redisSentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
}

// connect-redis on ioredis. Tuned to fail fast during an outage: with the offline queue off a
// command on a broken connection is refused at once instead of waiting for a reconnect, and
// every command has a deadline, so a request answers 503 within about a second. Through
// Sentinel, ioredis asks the sentinels for the current primary on every (re)connection and
// drops its connection when they announce another one (failoverDetector), so a node follows a
// failover by itself.
/** The fail-fast client options (see above), shared by every Redis client of a node (the page cache's too). */
export const failFastRedisOptions: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: commandTimeoutMs,
  commandTimeout: commandTimeoutMs,
  // Reconnect forever, backing off to 2 s, so the node recovers by itself when Redis returns.
  retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
};

export async function openRedisStore(config: Readonly<Config>, log: Log): Promise<OpenedStore> {
  const target = redisTarget(config);
  const options: RedisOptions = { ...failFastRedisOptions };
  const client = config.redisSentinels
    ? new Redis({ ...options, sentinels: config.redisSentinels, name: config.redisMasterName!, failoverDetector: true, sentinelRetryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000) })
    : new Redis(config.redisUrl!, options);
  // Until the first connection succeeds, openStore reports the failures; after it, one line per outage.
  let opened = false;
  let reachable = true;
  let lastError: unknown;
  client.on('error', (err) => {
    lastError = err;
    if (opened && reachable) log(`redis at ${target} unreachable: ${describeError(err)}`);
    reachable = false;
  });
  client.on('ready', () => {
    if (opened && !reachable) log(`redis at ${target} reachable again`);
    reachable = true;
  });
  try {
    await client.connect();
    opened = true;
  } catch (err) {
    client.disconnect();
    // connect() only says "Connection is closed."; the error event said why.
    throw lastError ?? err;
  }
  const replicated = replicatedBy(client, config);
  const prefix = 'lab_sess:';
  // connect-redis keeps a session as long as its cookie (ttl only when the cookie has no expiry),
  // unless SESSION_STORE_TTL_SECONDS fixes the store's own, whatever the cookie says.
  const storeTtlSeconds = config.sessionStoreTtlSeconds;
  const store = new RedisStore({ client, prefix, ttl: storeTtlSeconds !== undefined ? () => storeTtlSeconds : config.sessionTtlSeconds });
  redisTouchRecordsExpiry(store, client, (sid) => prefix + sid, config.sessionTtlSeconds, storeTtlSeconds);
  if (config.redisWaitReplicas > 0) sessionWritesReplicated(store, replicated);
  return {
    kind: 'redis',
    store,
    carts: redisCarts(client, storeTtlSeconds ?? config.sessionTtlSeconds, replicated),
    readSessionAndCart: readSessionAndCart(client, (sid) => prefix + sid, (value) => store.serializer.parse(value) as SessionData),
    target,
    countSessions: () => storeLength(store),
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
