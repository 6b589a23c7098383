// Carts in Redis beside connect-redis's sessions: one hash per session (lab_cart:{lab_sess:<sid>}) with a
// field per line's quantity and one for the order lines were added in. Each change is one Lua
// script, which Redis runs alone: the limits are checked and the line changed in one step.
import type { SessionData } from 'express-session';
import type { Cluster, Redis } from 'ioredis';
import { maxCartLines, maxQtyPerLine, redisSessionPrefix, type CartLine } from '../contract.ts';
import { HttpError } from '../errors.ts';
import { cartRefused, type CartStore } from './cart-store.ts';
import type { ReadSessionAndCart } from './loaded-cart.ts';
import type { Replicated } from '../stores/redis-wait.ts';

/**
 * A cart's key carries its session's key as a hash tag: Redis Cluster hashes only what stands
 * inside the braces, so a session and its cart sit in one slot, as the read script (which takes
 * both) needs on a cluster.
 */
export const cartKey = (sessionId: string): string => `lab_cart:{${redisSessionPrefix}${sessionId}}`;

// Fields: q:<sku> = quantity, o:<sku> = the order it was added in, seq = the last order given.
// Each returns the cart as a flat list of fields and values, or a refusal.
const addScript = `
local key, sku, qty, maxLines, maxQty, ttlMs = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local has = tonumber(redis.call('HGET', key, 'q:' .. sku) or '0')
if has == 0 then
  local lines = math.floor(redis.call('HLEN', key) / 2)
  if lines >= maxLines then return {'too_many_lines'} end
  redis.call('HSET', key, 'o:' .. sku, redis.call('HINCRBY', key, 'seq', 1))
elseif has + qty > maxQty then
  return {'too_many_of_one', tostring(has)}
end
redis.call('HINCRBY', key, 'q:' .. sku, qty)
redis.call('PEXPIRE', key, ttlMs)
return redis.call('HGETALL', key)
`;

const removeScript = `
local key, sku = KEYS[1], ARGV[1]
redis.call('HDEL', key, 'q:' .. sku, 'o:' .. sku)
if redis.call('HLEN', key) <= 1 then redis.call('DEL', key) end
return redis.call('HGETALL', key)
`;

/** The flat HGETALL list as cart lines, in the order they were added. */
function linesOf(flat: string[]): CartLine[] {
  const qty = new Map<string, number>();
  const order = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    if (field.startsWith('q:')) qty.set(field.slice(2), Number(flat[i + 1]));
    else if (field.startsWith('o:')) order.set(field.slice(2), Number(flat[i + 1]));
  }
  return [...qty]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([sku, n]) => ({ sku, qty: n }));
}

// The session (GET) and its cart (HGETALL, flat) in one command; an empty list when there is no session.
const readScript = `
local session = redis.call('GET', KEYS[1])
if not session then return {} end
return {session, redis.call('HGETALL', KEYS[2])}
`;

/**
 * A session (the value connect-redis keeps at sessionKey(sid)) and its cart in one round trip: one
 * script, so one command to send, time out and decode. (Not a pipeline: ioredis builds a pipeline
 * object per use, which cost more CPU than the read itself. Not ioredis's auto-pipelining: it
 * keeps one pipeline in flight per connection, so while Redis stalls a command waits out the
 * previous batch's deadline before its own starts, and a request would answer 503 after two
 * seconds instead of one.)
 */
export function readSessionAndCart(client: Redis | Cluster, sessionKey: (sessionId: string) => string, parse: (value: string) => SessionData): ReadSessionAndCart {
  if (!('labSessionAndCart' in client)) client.defineCommand('labSessionAndCart', { numberOfKeys: 2, lua: readScript });
  const read = (client as unknown as Record<'labSessionAndCart', (sessionKey: string, cartKey: string) => Promise<[string?, string[]?]>>).labSessionAndCart;
  return async (sessionId) => {
    const [value, flat] = await read.call(client, sessionKey(sessionId), cartKey(sessionId));
    return value ? { session: parse(value), cart: linesOf(flat!) } : { session: null, cart: [] };
  };
}

const scripts = { labCartAdd: addScript, labCartRemove: removeScript };

/** A Redis that does not answer (a command deadline, a closed connection) is a 503, like the session store's. */
async function guarded<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (err) {
    throw HttpError.storeUnavailable(err);
  }
}

export function redisCarts(client: Redis | Cluster, ttlSeconds: number, replicated: Replicated = async () => {}): CartStore {
  const key = cartKey;
  const ttlMs = String(ttlSeconds * 1000);
  // Sent once, then run by its SHA (ioredis falls back to sending it again after a Redis restart).
  for (const [name, lua] of Object.entries(scripts)) if (!(name in client)) client.defineCommand(name, { numberOfKeys: 1, lua });
  const run = (name: keyof typeof scripts, sessionId: string, ...args: string[]) =>
    guarded((client as unknown as Record<string, (...a: string[]) => Promise<string[]>>)[name]!(key(sessionId), ...args));
  return {
    view: async (sessionId) => linesOf(Object.entries(await guarded(client.hgetall(key(sessionId)))).flat()),
    add: async (sessionId, sku, qty) => {
      const result = await run('labCartAdd', sessionId, sku, String(qty), String(maxCartLines), String(maxQtyPerLine), ttlMs);
      if (result[0] === 'too_many_lines') throw cartRefused('too_many_lines');
      if (result[0] === 'too_many_of_one') throw cartRefused('too_many_of_one', Number(result[1]));
      await replicated();
      return linesOf(result);
    },
    remove: async (sessionId, sku) => {
      const result = await run('labCartRemove', sessionId, sku);
      await replicated();
      return linesOf(result);
    },
    refresh: async (sessionId) => {
      await guarded(client.pexpire(key(sessionId), ttlMs));
    },
    delete: async (sessionId) => {
      await guarded(client.del(key(sessionId)));
    },
    close: async () => {},
  };
}
