import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import type { CacheStats } from '../app/contract.ts';
import { cacheStatsLabel, evictionVerdict } from './shop/checkers/eviction.ts';
import { crawl } from './shop/crawler.ts';
import { shopDevice } from './shop/device.ts';

// Sessions share a Redis with a page cache, and Redis has a maxmemory: once the cache fills it,
// Redis makes room by its policy. allkeys-lru evicts whatever was used least recently, and a user
// thinking between two clicks has been idle longer than the pages the crawler just cached: their
// session goes, and they are logged out mid-flow. A public incident: users logged out 1–2 minutes
// after login for 92 minutes when the Redis holding their sessions ran short of memory (Mezmo,
// 2023-12-04): https://status.mezmo.com/incidents/612n87qcp8c9

/** How long users shop while the crawler churns the cache. */
const shoppingMs = 6000;
/** A user's pause between two clicks: longer than the cache takes to turn over at 4 MB. */
const thinkMs = 1500;

async function shopBesideCache(lab: Lab): Promise<void> {
  const users = Array.from({ length: 8 }, (_, i) => shopDevice(lab, `user-${String(i + 1).padStart(2, '0')}`));
  const deadline = performance.now() + shoppingMs;
  const shopping = users.map(async (user) => {
    for (let n = 0; performance.now() < deadline; n++) {
      await user.add(`item-${n}`);
      await sleep(thinkMs);
    }
    await user.viewCart();
  });
  await Promise.all([...shopping, crawl(lab, { concurrency: 4, until: () => performance.now() > deadline })]);
  await lab.probe('server_1', '/debug/cache', cacheStatsLabel, (body) => {
    const cache = (body as { cache?: CacheStats }).cache;
    return cache ? `${cache.policy}, ${cache.evictedKeys} keys evicted, ${cache.usedMemoryBytes} of ${cache.maxmemoryBytes} bytes` : 'no cache';
  });
}

export const redisEviction: Scenario<ShopOp> = {
  name: 'redis-eviction',
  summary: 'redis-2-cache-allkeys-lru: a page cache fills the sessions’ Redis (maxmemory 4 MB); allkeys-lru evicts the sessions of users who paused between clicks.',
  topology: 'redis-2-cache-allkeys-lru',
  expected: 'sessions-evicted',
  run: shopBesideCache,
  check: evictionVerdict,
};

// volatile-lru evicts only keys with a TTL: sessions have one, the cached pages do not, so the
// sessions go first, every one of them, however recently used.
export const redisEvictionVolatileLru: Scenario<ShopOp> = {
  ...redisEviction,
  name: 'redis-eviction-volatile-lru',
  summary: 'redis-2-cache-volatile-lru: only keys with a TTL are evicted, and only sessions have one: every session goes before any cached page.',
  topology: 'redis-2-cache-volatile-lru',
};

// noeviction evicts nothing: at maxmemory Redis refuses every write that needs memory. Sessions
// stay, but no add to a cart goes through (503) until someone frees memory: the way a Redis that
// "stopped accepting requests" took logins down with it (an OutSmart incident report):
// https://status.out-smart.com/incidents/3fzrdkwhr1fl
export const redisEvictionNoeviction: Scenario<ShopOp> = {
  ...redisEviction,
  name: 'redis-eviction-noeviction',
  summary: 'redis-2-cache-noeviction: nothing is evicted; once the cache fills Redis, every add to a cart is refused (503).',
  topology: 'redis-2-cache-noeviction',
  expected: 'writes-refused',
};

// The remedy: sessions in a Redis of their own (noeviction, room to spare), the cache in another
// (allkeys-lru, 4 MB): the cache churns as before and no user notices.
export const redisEvictionSeparate: Scenario<ShopOp> = {
  ...redisEviction,
  name: 'redis-eviction-separate',
  summary: 'redis-2-cache-separate: the cache in a Redis of its own (allkeys-lru, 4 MB) churns; the sessions’ Redis (noeviction) loses none.',
  topology: 'redis-2-cache-separate',
  expected: 'sessions-kept',
};
