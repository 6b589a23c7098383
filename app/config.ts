// The one place in the app that reads process.env: every variable of the node's contract
// (README.md, "One node: configuration") is parsed here once into a frozen, typed Config.
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export const storeKinds = ['memory', 'file', 'redis', 'postgres', 'cookie'] as const;
export type StoreKind = (typeof storeKinds)[number];

/** atomic: each cart change is one atomic operation in the store's backend; session: the cart is a field of the session. */
export const cartModes = ['atomic', 'session'] as const;
export type CartMode = (typeof cartModes)[number];

/** What login does with the anonymous cart: merge it into the user's, or drop it with the old session. */
export const loginCartModes = ['merge', 'drop'] as const;
export type LoginCartMode = (typeof loginCartModes)[number];

/**
 * How CART_MODE=session keeps the cart in the session: list (version 1 of the shop: an array of
 * lines) or map (version 2: { lines: { sku: qty } }). rolling-deploy-schema runs both at once.
 */
export const sessionCartShapes = ['list', 'map'] as const;
export type SessionCartShape = (typeof sessionCartShapes)[number];

/** strict: a node reads only the shape it writes; tolerant: it reads both (rolling-deploy-tolerant). */
export const sessionCartReaders = ['strict', 'tolerant'] as const;
export type SessionCartReader = (typeof sessionCartReaders)[number];

/** Express's `trust proxy` setting: off, a hop count, or addresses/subnets/named ranges. */
export type TrustProxy = boolean | number | string[];

export interface Config {
  nodeName: string;
  port: number;
  sessionStore: StoreKind;
  /** First one signs new cookies; every one verifies (rotation). */
  sessionSecrets: string[];
  sessionTtlSeconds: number;
  /**
   * Lazy touch: a read extends the session (in the store and in the cookie) only when at least
   * this long passed since it was last extended; 0 extends it on every request.
   */
  sessionTouchAfterSeconds: number;
  sessionFileDir: string;
  redisUrl: string | undefined;
  /** Sentinels to ask for the current primary (REDIS_SENTINELS), instead of redisUrl. */
  redisSentinels: { host: string; port: number }[] | undefined;
  /** The primary's name the sentinels monitor (REDIS_MASTER_NAME). */
  redisMasterName: string | undefined;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES), instead of redisUrl: the client learns the rest. */
  redisClusterNodes: { host: string; port: number }[] | undefined;
  /**
   * How many replicas must have a session or cart write before it is answered (Redis WAIT); a write
   * they do not confirm within redisWaitTimeoutMs answers 503. 0: answered at once (asynchronous).
   */
  redisWaitReplicas: number;
  redisWaitTimeoutMs: number;
  databaseUrl: string | undefined;
  /** How many PostgreSQL connections this node's pool opens at most (DATABASE_POOL_MAX). */
  databasePoolMax: number;
  /** The Redis that caches product pages (CACHE_URL); unset, pages are rendered every time. */
  cacheUrl: string | undefined;
  /** How long a cached page lives; undefined: until Redis evicts it. */
  cacheTtlSeconds: number | undefined;
  trustProxy: TrustProxy;
  cookieSecure: boolean | 'auto';
  /** Lifetime of a login (a session token); login is on whenever databaseUrl is set. */
  sessionTokenTtlSeconds: number;
  /** Whether each use of a token extends it by the TTL. */
  sessionTokenSliding: boolean;
  cartMode: CartMode;
  /** CART_MODE=session: the cart's shape in the session, and which shapes a node reads. */
  sessionCartShape: SessionCartShape;
  sessionCartReader: SessionCartReader;
  /**
   * merge: login folds the anonymous cart into the user's before the session id changes; drop: it
   * regenerates the session and nothing carries the cart over (what many apps do, see login-drops-cart).
   */
  loginCart: LoginCartMode;
  /**
   * true: a visitor's first request stores its session, and the cookie goes out at once (the
   * article's demo; every request without a cookie, a probe's or a bot's, stores one too). false:
   * a session is stored only once it holds something (the first cart change, a login).
   */
  sessionSaveUninitialized: boolean;
  /**
   * true: a changed session is saved before the answer goes out (a store failure is a 503, and
   * whatever the answer confirms is in the store). false: express-session saves it as the answer
   * ends, after the status line and headers are sent (redirect-before-save shows the cost).
   */
  sessionSaveBeforeAnswer: boolean;
  /** express-session's rolling: the cookie goes out again, with a new expiry, on every answer. */
  sessionRolling: boolean;
  /** false: a read never extends the session in the store (connect-redis's disableTouch); only a save does. */
  sessionStoreTouch: boolean;
  /**
   * Redis only: how long the store keeps a session from its last write or touch, whatever its
   * cookie says (a connect-redis ttl that ignores the session's maxAge). Unset: as long as the cookie.
   */
  sessionStoreTtlSeconds: number | undefined;
  /**
   * How long an idle keep-alive connection stays open. Longer than the balancer keeps an idle
   * connection to a node, so that nginx, never the node, closes it: a request nginx writes onto a
   * connection the node is closing comes back as a 502.
   */
  keepAliveTimeoutSeconds: number;
}

/** A bad or missing variable; its message is the single line printed at start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const namedProxyRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function parseNodeName(env: Env): string {
  const raw = read(env, 'NODE_NAME') ?? hostname();
  // It travels in a response header and in every log line.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) {
    throw new ConfigError(`NODE_NAME must be 1 to 64 letters, digits, "_", "." or "-" (got "${raw}")`);
  }
  return raw;
}

function parseOneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  return raw as T;
}

/** atomic unless told; with the cookie store the cart can only be a field of the session (no server state to change atomically). */
function parseCartMode(env: Env, store: StoreKind): CartMode {
  if (store !== 'cookie') return parseOneOf(env, 'CART_MODE', cartModes, 'atomic');
  const mode = parseOneOf(env, 'CART_MODE', cartModes, 'session');
  if (mode === 'atomic') throw new ConfigError('CART_MODE=atomic needs a server-side store; SESSION_STORE=cookie keeps the cart in the cookie (use CART_MODE=session or leave it unset)');
  return mode;
}

function parseSecrets(env: Env): string[] {
  const raw = read(env, 'SESSION_SECRET');
  if (raw === undefined) {
    throw new ConfigError('SESSION_SECRET is required: one or more comma-separated secrets (the first signs, all verify)');
  }
  const secrets = raw.split(',').map((s) => s.trim());
  if (secrets.some((s) => s === '')) {
    throw new ConfigError('SESSION_SECRET must be comma-separated non-empty secrets (found an empty one)');
  }
  return secrets;
}

function parseUrl(env: Env, name: string, protocols: string[], requiredFor: StoreKind | undefined): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) {
    if (requiredFor) throw new ConfigError(`${name} is required when SESSION_STORE=${requiredFor} (a ${protocols[0]}// URL)`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a ${protocols.join(' or ')}// URL (got "${redactUrl(raw)}")`);
  }
  if (!protocols.includes(url.protocol) || url.hostname === '') {
    throw new ConfigError(`${name} must be a ${protocols.join(' or ')}// URL with a host (got "${redactUrl(raw)}")`);
  }
  return raw;
}

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

function parseSaveUninitialized(env: Env, store: StoreKind): boolean {
  const save = parseBoolean(env, 'SESSION_SAVE_UNINITIALIZED', true);
  if (!save && store === 'cookie') throw new ConfigError('SESSION_SAVE_UNINITIALIZED=false needs a store: the cookie store keeps nothing on a server to flood');
  return save;
}

/** The cart's shape in the session only means something where the cart is a field of a stored session. */
function parseCartShape(env: Env, store: StoreKind, cartMode: CartMode): Pick<Config, 'sessionCartShape' | 'sessionCartReader'> {
  const shape = parseOneOf(env, 'SESSION_CART_SHAPE', sessionCartShapes, 'list');
  const reader = parseOneOf(env, 'SESSION_CART_READER', sessionCartReaders, 'strict');
  const set = ['SESSION_CART_SHAPE', 'SESSION_CART_READER'].find((name) => read(env, name) !== undefined);
  if (set && (cartMode !== 'session' || store === 'cookie')) {
    throw new ConfigError(`${set} shapes the cart kept in a stored session: it needs CART_MODE=session and a store other than cookie (CART_MODE is ${cartMode}, SESSION_STORE is ${store})`);
  }
  return { sessionCartShape: shape, sessionCartReader: reader };
}

function parseCacheTtl(env: Env): number | undefined {
  if (read(env, 'CACHE_TTL_SECONDS') === undefined) return undefined;
  if (read(env, 'CACHE_URL') === undefined) throw new ConfigError('CACHE_TTL_SECONDS needs CACHE_URL (the Redis that caches product pages)');
  return parseInteger(env, 'CACHE_TTL_SECONDS', 0, 1, 365 * 24 * 3600);
}

function parseStoreTtl(env: Env, store: StoreKind): number | undefined {
  if (read(env, 'SESSION_STORE_TTL_SECONDS') === undefined) return undefined;
  if (store !== 'redis') throw new ConfigError(`SESSION_STORE_TTL_SECONDS is read by the redis store only (SESSION_STORE is ${store})`);
  return parseInteger(env, 'SESSION_STORE_TTL_SECONDS', 0, 1, 365 * 24 * 3600);
}

function parseTrustProxy(env: Env): TrustProxy {
  const raw = read(env, 'TRUST_PROXY');
  if (raw === undefined) return false;
  // A bare number is a hop count (as Express reads it), so "1" means one proxy, not true.
  if (/^\d+$/.test(raw)) return parseInteger(env, 'TRUST_PROXY', 0, 0, 32);
  if (/^(true|false|yes|no|on|off)$/i.test(raw)) return parseBoolean(env, 'TRUST_PROXY', false);
  const entries = raw.split(',').map((s) => s.trim());
  const valid = entries.every((entry) => {
    if (namedProxyRanges.has(entry)) return true;
    const [address, prefix, extra] = entry.split('/');
    return extra === undefined && address !== undefined && isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
  });
  if (!valid) {
    throw new ConfigError(
      `TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/subnets or loopback, linklocal, uniquelocal (got "${raw}")`,
    );
  }
  return entries;
}

function parseCookieSecure(env: Env): boolean | 'auto' {
  const raw = read(env, 'COOKIE_SECURE');
  if (raw?.toLowerCase() === 'auto') return 'auto';
  try {
    return parseBoolean(env, 'COOKIE_SECURE', false);
  } catch {
    throw new ConfigError(`COOKIE_SECURE must be true, false or auto (got "${raw}")`);
  }
}

/**
 * Default: 60 s, or a tenth of the TTL when that is shorter, so a session ends at most 10 % early
 * (it expires TTL after its last extension, which may be that long before its last request).
 */
function parseTouchAfter(env: Env, ttlSeconds: number): number {
  const fallback = Math.min(60, Math.floor(ttlSeconds / 10));
  const touchAfter = parseInteger(env, 'SESSION_TOUCH_AFTER_SECONDS', fallback, 0, 365 * 24 * 3600);
  if (touchAfter >= ttlSeconds) {
    throw new ConfigError(`SESSION_TOUCH_AFTER_SECONDS must be less than SESSION_TTL_SECONDS (${ttlSeconds}), or every session would expire while in use (got "${touchAfter}")`);
  }
  return touchAfter;
}

/** A host:port,host:port,… list (REDIS_SENTINELS, REDIS_CLUSTER_NODES). */
function parseHostPorts(env: Env, name: string): { host: string; port: number }[] | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  return raw.split(',').map((entry) => {
    const match = /^([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(entry.trim());
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigError(`${name} must be host:port,host:port,… (got "${raw}")`);
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  });
}

/**
 * Redis comes from REDIS_URL, from REDIS_SENTINELS with REDIS_MASTER_NAME, or from
 * REDIS_CLUSTER_NODES; one of them only.
 */
function parseRedisTarget(env: Env, sessionStore: StoreKind): Pick<Config, 'redisUrl' | 'redisSentinels' | 'redisMasterName' | 'redisClusterNodes'> {
  const redisSentinels = parseHostPorts(env, 'REDIS_SENTINELS');
  const redisClusterNodes = parseHostPorts(env, 'REDIS_CLUSTER_NODES');
  const redisMasterName = read(env, 'REDIS_MASTER_NAME');
  if (redisClusterNodes && (redisSentinels || read(env, 'REDIS_URL') !== undefined)) {
    throw new ConfigError('REDIS_CLUSTER_NODES excludes REDIS_URL and REDIS_SENTINELS: a node asks the cluster for its shards, the sentinels for a primary, or connects to one URL');
  }
  if (redisSentinels && read(env, 'REDIS_URL') !== undefined) throw new ConfigError('REDIS_URL and REDIS_SENTINELS exclude each other: a node asks the sentinels for the primary, or connects to one URL');
  if (redisSentinels && redisMasterName === undefined) throw new ConfigError('REDIS_MASTER_NAME is required with REDIS_SENTINELS (the name the sentinels monitor)');
  if (redisMasterName !== undefined && !redisSentinels) throw new ConfigError('REDIS_MASTER_NAME needs REDIS_SENTINELS');
  if (redisMasterName !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(redisMasterName)) throw new ConfigError(`REDIS_MASTER_NAME must be 1–64 letters, digits, ".", "_" or "-" (got "${redisMasterName}")`);
  const redisUrl = parseUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], sessionStore === 'redis' && !redisSentinels && !redisClusterNodes ? 'redis' : undefined);
  return { redisUrl, redisSentinels, redisMasterName, redisClusterNodes };
}

/** WAIT goes to one connection's server: a cluster client would send it to a shard picked at random. */
function parseWaitReplicas(env: Env): number {
  const replicas = parseInteger(env, 'REDIS_WAIT_REPLICAS', 0, 0, 16);
  if (replicas > 0 && read(env, 'REDIS_CLUSTER_NODES') !== undefined) {
    throw new ConfigError('REDIS_WAIT_REPLICAS does not go with REDIS_CLUSTER_NODES: WAIT would ask a shard picked at random, not the one that took the write');
  }
  return replicas;
}

/** Reads the node's configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const sessionStore = parseOneOf(env, 'SESSION_STORE', storeKinds, 'memory');
  const sessionTtlSeconds = parseInteger(env, 'SESSION_TTL_SECONDS', 3600, 1, 365 * 24 * 3600);
  const cartMode = parseCartMode(env, sessionStore);
  const config: Config = {
    nodeName: parseNodeName(env),
    port: parseInteger(env, 'PORT', 3000, 0, 65535),
    sessionStore,
    sessionSecrets: parseSecrets(env),
    sessionTtlSeconds,
    sessionTouchAfterSeconds: parseTouchAfter(env, sessionTtlSeconds),
    sessionFileDir: read(env, 'SESSION_FILE_DIR') ?? '.sessions',
    ...parseRedisTarget(env, sessionStore),
    redisWaitReplicas: parseWaitReplicas(env),
    redisWaitTimeoutMs: parseInteger(env, 'REDIS_WAIT_TIMEOUT_MS', 500, 1, 900),
    databaseUrl: parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], sessionStore === 'postgres' ? 'postgres' : undefined),
    databasePoolMax: parseInteger(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    cacheUrl: parseUrl(env, 'CACHE_URL', ['redis:', 'rediss:'], undefined),
    cacheTtlSeconds: parseCacheTtl(env),
    trustProxy: parseTrustProxy(env),
    cookieSecure: parseCookieSecure(env),
    sessionTokenTtlSeconds: parseInteger(env, 'SESSION_TOKEN_TTL_SECONDS', 7 * 24 * 3600, 1, 365 * 24 * 3600),
    sessionTokenSliding: parseBoolean(env, 'SESSION_TOKEN_SLIDING', false),
    cartMode,
    ...parseCartShape(env, sessionStore, cartMode),
    loginCart: parseOneOf(env, 'LOGIN_CART', loginCartModes, 'merge'),
    sessionSaveUninitialized: parseSaveUninitialized(env, sessionStore),
    sessionSaveBeforeAnswer: parseBoolean(env, 'SESSION_SAVE_BEFORE_ANSWER', true),
    sessionRolling: parseBoolean(env, 'SESSION_ROLLING', false),
    sessionStoreTouch: parseBoolean(env, 'SESSION_STORE_TOUCH', true),
    sessionStoreTtlSeconds: parseStoreTtl(env, sessionStore),
    keepAliveTimeoutSeconds: parseInteger(env, 'KEEP_ALIVE_TIMEOUT_SECONDS', 65, 1, 3600),
  };
  return Object.freeze(config);
}

/** A URL without its password, for logs and error messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
