import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { redactUrl, type Config } from '../config.ts';
import { describeError, type Log } from '../log.ts';
import { redisCarts } from '../carts/redis.ts';
import type { OpenedStore } from './opened-store.ts';

const commandTimeoutMs = 1000;

// connect-redis on ioredis. Tuned to fail fast during an outage: with the offline queue off a
// command on a broken connection is refused at once instead of waiting for a reconnect, and
// every command has a deadline, so a request answers 503 within about a second.
export async function openRedisStore(config: Readonly<Config>, log: Log): Promise<OpenedStore> {
  const url = config.redisUrl!;
  const target = redactUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: commandTimeoutMs,
    commandTimeout: commandTimeoutMs,
    // Reconnect forever, backing off to 2 s, so the node recovers by itself when Redis returns.
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  });
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
  return {
    kind: 'redis',
    store: new RedisStore({ client, prefix: 'lab_sess:', ttl: config.sessionTtlSeconds }),
    carts: redisCarts(client, config.sessionTtlSeconds),
    target,
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
