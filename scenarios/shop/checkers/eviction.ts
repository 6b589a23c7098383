// What a cache that shares Redis with the sessions did to the users, judged from what each user's
// device saw, with the cache's Redis's own count of the keys it evicted (a probe of /debug/cache
// once the churn is over) as the evidence of why. A pure function of the history.
import type { CacheStats } from '../../../app/contract.ts';
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, shopActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/** The probe's label: GET /debug/cache on a node, the cache's Redis as INFO reports it. */
export const cacheStatsLabel = 'the cache’s Redis';

function cacheStatsOf(history: readonly ShopOp[]): CacheStats | undefined {
  const probe = history.findLast((op) => op.process === enginePrincipals.probe && op.args?.label === cacheStatsLabel && op.type === 'ok');
  return (probe?.value as { cache?: CacheStats } | undefined)?.cache;
}

/**
 * sessions-evicted: a user's answer said the session was lost, or showed a cart without an
 * acknowledged add, and the cache's Redis evicted keys. writes-refused: no user lost anything, but
 * adds answered 5xx (Redis refused writes: noeviction at maxmemory). sessions-kept: no user lost
 * anything, no add was refused, and the cache's Redis evicted keys (it was full and churned).
 * cart-lost: users lost sessions or carts while nothing was evicted (not this scenario's point).
 * inconclusive: nothing was lost or refused, but the cache never filled, or its stats never came.
 */
export function evictionVerdict(history: readonly ShopOp[]): Verdict {
  const userOps = history.filter((op) => cartActions.has(op.action));
  const users = [...new Set(userOps.map((op) => op.process))];
  const usersWhoLost = users.filter((user) => {
    const analysis = analyzeCarts(userOps.filter((op) => op.process === user));
    return analysis.lostSessions + analysis.wrongCarts > 0;
  });
  const carts = analyzeCarts(userOps);
  const refused = userOps.filter((op) => op.action === shopActions.addItem && op.status !== undefined && op.status >= 500);
  const crawled = history.filter((op) => op.action === shopActions.crawl);
  const cache = cacheStatsOf(history);
  const metrics = {
    users: users.length,
    usersWhoLostTheirSession: usersWhoLost.length,
    writesRefused: refused.length,
    pagesCrawled: crawled.reduce((sum, op) => sum + Number(op.args?.pages ?? 0), 0),
    ...(cache ? { policy: cache.policy, cacheEvictedKeys: cache.evictedKeys, cacheMaxmemoryBytes: cache.maxmemoryBytes } : {}),
  };
  const evicted = (cache?.evictedKeys ?? 0) > 0;
  if (usersWhoLost.length > 0) return { observed: evicted ? 'sessions-evicted' : 'cart-lost', metrics, firstBad: carts.firstBad };
  if (refused.length > 0) return { observed: 'writes-refused', metrics, firstBad: firstBad(refused[0]!, 'the add stored', `${refused[0]!.status}${refused[0]!.seen ? ` ${refused[0]!.seen}` : ''}`) };
  if (!evicted) return { observed: 'inconclusive', metrics };
  return { observed: 'sessions-kept', metrics };
}
