// What the shop promises on the wire, in one file with no dependencies: the cookie names, the
// headers every answer carries, the cart's shape and limits, and how a session id is tagged in
// logs. The lab's devices and checkers read answers with these same names.
import { hash } from 'node:crypto';

// No dot in the name: nginx can only hash on $cookie_lab_sid.
export const sessionCookieName = 'lab_sid';
/** The login token's cookie (an app may send the token as `Authorization: Bearer` instead). */
export const tokenCookieName = 'lab_token';

/** The app node that answered. */
export const servedByHeader = 'X-Served-By';
/** new | existing | lost | unknown: see SessionState. */
export const sessionStateHeader = 'X-Session-State';

/**
 * new: the request carried no session cookie. existing: it did and the session was there. lost:
 * it did, but there is no such session here (a restart, another node's disk, expiry, or a cookie
 * this node cannot verify: another node's secret, tampered, garbage) and a new one was started.
 * unknown: the store could not be asked.
 */
export type SessionState = 'new' | 'existing' | 'lost' | 'unknown';

export interface CartLine {
  sku: string;
  qty: number;
}

/** GET /debug/cache's `cache`: the page cache's Redis, as INFO counts its memory and evictions. */
export interface CacheStats {
  /** Its URL, without a password. */
  target: string;
  policy: string;
  maxmemoryBytes: number;
  usedMemoryBytes: number;
  evictedKeys: number;
}

/**
 * One shard of a Redis Cluster as GET /debug/sessions reports it (`shards`): its primary and
 * replicas by the hostname each announces (the topology's service name), else by address.
 */
export interface ShardCount {
  primary: string;
  replicas: string[];
  /** The slot ranges it serves, each [first, last]. */
  slots: [number, number][];
  /** The sessions its primary holds; null when it did not answer (error says why). */
  sessions: number | null;
  error?: string;
}

/** The Redis key of a session: the prefix connect-redis is given, then the id. */
export const redisSessionPrefix = 'lab_sess:';

export const maxCartLines = 50;
export const maxQtyPerLine = 999;

/** A short, stable tag for a session id: enough to follow a session through interleaved logs, useless to hijack it. */
export function sessionTag(sessionId: string | undefined): string {
  if (!sessionId) return '-';
  return hash('sha256', sessionId, 'hex').slice(0, 8);
}
