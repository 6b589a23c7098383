// The shop's page cache: rendered product pages in a Redis (CACHE_URL), kept without a TTL unless
// CACHE_TTL_SECONDS says otherwise, as many caches keep them. It may be the sessions' Redis or one
// of its own; redis-eviction shows what sharing costs the sessions once Redis is full. A cache is
// optional: a read or write that fails (Redis gone, or refusing writes at maxmemory under
// noeviction) only costs a render, never the page.
import { Redis } from 'ioredis';
import { redactUrl, type Config } from './config.ts';
import type { CacheStats } from './contract.ts';
import { describeError, type Log } from './log.ts';
import { failFastRedisOptions } from './stores/redis-options.ts';

const keyPrefix = 'lab_page:';

export interface ProductCache {
  /** The cached page, or undefined on a miss or a failed read. */
  get(key: string): Promise<string | undefined>;
  /** Stores the page; a failed write is logged (once until writes work again), never thrown. */
  set(key: string, page: string): Promise<void>;
  stats(): Promise<CacheStats>;
  close(): Promise<void>;
}

function infoField(info: string, name: string): string {
  const match = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  if (!match) throw new Error(`INFO has no ${name}`);
  return match[1]!.trim();
}

/**
 * Connects before the node listens, so that its first pages are cached; a cache that does not
 * answer then is logged and tried again in the background, and the node starts all the same.
 */
export async function openProductCache(config: Readonly<Pick<Config, 'cacheUrl' | 'cacheTtlSeconds'>>, log: Log): Promise<ProductCache | undefined> {
  if (!config.cacheUrl) return undefined;
  const target = redactUrl(config.cacheUrl);
  // Fail fast as the session store does: no offline queue, a deadline per command.
  const client = new Redis(config.cacheUrl, { ...failFastRedisOptions });
  let failing = false;
  const failed = (what: string, err: unknown) => {
    if (!failing) log(`page cache at ${target}: ${what} failed, pages are rendered uncached: ${describeError(err)}`);
    failing = true;
  };
  const worked = () => {
    if (failing) log(`page cache at ${target} works again`);
    failing = false;
  };
  client.on('error', (err) => failed('the connection', err));
  await client.connect().catch(() => undefined);
  return {
    async get(key) {
      try {
        const page = await client.get(keyPrefix + key);
        return page ?? undefined;
      } catch (err) {
        failed('a read', err);
        return undefined;
      }
    },
    async set(key, page) {
      try {
        if (config.cacheTtlSeconds) await client.set(keyPrefix + key, page, 'EX', config.cacheTtlSeconds);
        else await client.set(keyPrefix + key, page);
        worked();
      } catch (err) {
        failed('a write', err);
      }
    },
    async stats() {
      const info = `${await client.info('memory')}\n${await client.info('stats')}`;
      return {
        target,
        policy: infoField(info, 'maxmemory_policy'),
        maxmemoryBytes: Number(infoField(info, 'maxmemory')),
        usedMemoryBytes: Number(infoField(info, 'used_memory')),
        evictedKeys: Number(infoField(info, 'evicted_keys')),
      };
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
