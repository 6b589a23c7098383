// connect-redis's and connect-pg-simple's touch move the store's expiry (Redis EXPIRE, the row's
// expire column) and leave the stored session as it was: its cookie's `expires` keeps the time of
// the last full save. Lazy touch reads that field to learn when the session was last extended, so
// with those touches every read after the first extension would be due again, and would write.
// Here their touch also writes the new expiry into the stored session, in the store and in one
// step (a Lua script, one UPDATE), changing that field alone: whatever another request saved to the
// session meanwhile is kept.
import type { SessionData, Store } from 'express-session';
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import { settle } from './store-callback.ts';

/** When the session now expires, as express-session's touch of this request set it (else the store's TTL from now, as its own touch would). */
function expiresOf(session: SessionData, ttlSeconds: number): Date {
  const expires = session.cookie.expires;
  return expires ? new Date(expires) : new Date(Date.now() + ttlSeconds * 1000);
}

// The stored session is JSON whose first member is the cookie (express-session serializes it
// first), so the first "expires" member is the cookie's. A session the store no longer has is left
// alone, as EXPIRE would.
const redisTouch = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local field = '"expires":"' .. ARGV[1] .. '"'
value = string.gsub(value, '"expires":"[^"]*"', function() return field end, 1)
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return 1`;

/**
 * connect-redis's touch, replaced: the key's expiry and the stored cookie's `expires` together; the
 * key's expiry is storeTtlSeconds from now instead when the store's TTL is fixed.
 */
export function redisTouchRecordsExpiry(store: Store, client: Redis | Cluster, key: (sid: string) => string, ttlSeconds: number, storeTtlSeconds?: number): void {
  if (!('labSessionTouch' in client)) client.defineCommand('labSessionTouch', { numberOfKeys: 1, lua: redisTouch });
  const touch = (client as unknown as Record<'labSessionTouch', (...args: string[]) => Promise<number>>).labSessionTouch;
  store.touch = (sid, session, callback) => {
    const expires = expiresOf(session, ttlSeconds);
    const ttlMs = storeTtlSeconds !== undefined ? storeTtlSeconds * 1000 : Math.max(1, expires.getTime() - Date.now());
    settle(touch.call(client, key(sid), expires.toISOString(), String(ttlMs)), callback);
  };
}

/** connect-pg-simple's touch, replaced: the row's expire column and the stored cookie's `expires` together. */
export function postgresTouchRecordsExpiry(store: Store, pool: pg.Pool, table: string, ttlSeconds: number): void {
  const statement = {
    name: 'lab-session-touch',
    text: `UPDATE "${table}" SET expire = to_timestamp($1), sess = jsonb_set(sess::jsonb, '{cookie,expires}', to_jsonb($2::text))::json WHERE sid = $3`,
  };
  store.touch = (sid, session, callback) => {
    const expires = expiresOf(session, ttlSeconds);
    // Whole seconds rounded up, as connect-pg-simple writes the column: its read compares it with
    // the current time rounded up too, so an exact expiry would end a session up to a second early.
    settle(pool.query({ ...statement, values: [Math.ceil(expires.getTime() / 1000), expires.toISOString(), sid] }), callback);
  };
}
