import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../../app/config.ts';

const base = { SESSION_SECRET: 'secret' };

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives defaults for everything but the secret', () => {
    const config = loadConfig({ ...base, NODE_NAME: 'server_1' });
    expect(config).toMatchObject({
      nodeName: 'server_1',
      port: 3000,
      sessionStore: 'memory',
      sessionSecrets: ['secret'],
      sessionTtlSeconds: 3600,
      trustProxy: false,
      cookieSecure: false,
      sessionTokenTtlSeconds: 7 * 24 * 3600,
      sessionTokenSliding: false,
      cartMode: 'atomic',
      loginCart: 'merge',
      sessionSaveUninitialized: true,
      sessionSaveBeforeAnswer: true,
      sessionRolling: false,
      sessionStoreTouch: true,
      sessionStoreTtlSeconds: undefined,
      keepAliveTimeoutSeconds: 65,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable of the contract', () => {
    const config = loadConfig({
      NODE_NAME: 'server_2',
      PORT: '8081',
      SESSION_STORE: 'postgres',
      SESSION_SECRET: 'new, old',
      SESSION_TTL_SECONDS: '60',
      SESSION_TOUCH_AFTER_SECONDS: '30',
      SESSION_FILE_DIR: '/var/lib/sessions',
      REDIS_URL: 'redis://redis:6379',
      REDIS_WAIT_REPLICAS: '2',
      REDIS_WAIT_TIMEOUT_MS: '300',
      DATABASE_URL: 'postgres://lab:pw@postgres:5432/lab',
      DATABASE_POOL_MAX: '6',
      CACHE_URL: 'redis://cache:6379',
      CACHE_TTL_SECONDS: '300',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      COOKIE_SECURE: 'true',
      SESSION_TOKEN_TTL_SECONDS: '120',
      SESSION_TOKEN_SLIDING: 'on',
      CART_MODE: 'session',
      SESSION_CART_SHAPE: 'map',
      SESSION_CART_READER: 'tolerant',
      LOGIN_CART: 'drop',
      SESSION_SAVE_UNINITIALIZED: 'false',
      SESSION_SAVE_BEFORE_ANSWER: 'no',
      SESSION_ROLLING: 'true',
      SESSION_STORE_TOUCH: 'false',
      KEEP_ALIVE_TIMEOUT_SECONDS: '90',
    });
    expect(config).toEqual({
      nodeName: 'server_2',
      port: 8081,
      sessionStore: 'postgres',
      sessionSecrets: ['new', 'old'],
      sessionTtlSeconds: 60,
      sessionTouchAfterSeconds: 30,
      sessionFileDir: '/var/lib/sessions',
      redisUrl: 'redis://redis:6379',
      redisSentinels: undefined,
      redisMasterName: undefined,
      redisWaitReplicas: 2,
      redisWaitTimeoutMs: 300,
      databaseUrl: 'postgres://lab:pw@postgres:5432/lab',
      databasePoolMax: 6,
      cacheUrl: 'redis://cache:6379',
      cacheTtlSeconds: 300,
      trustProxy: ['loopback', '10.0.0.0/8'],
      cookieSecure: true,
      sessionTokenTtlSeconds: 120,
      sessionTokenSliding: true,
      cartMode: 'session',
      sessionCartShape: 'map',
      sessionCartReader: 'tolerant',
      loginCart: 'drop',
      sessionSaveUninitialized: false,
      sessionSaveBeforeAnswer: false,
      sessionRolling: true,
      sessionStoreTouch: false,
      sessionStoreTtlSeconds: undefined,
      keepAliveTimeoutSeconds: 90,
    });
  });

  it('extends a session at most every 60 s by default, or every tenth of a shorter TTL', () => {
    expect(loadConfig(base).sessionTouchAfterSeconds).toBe(60);
    expect(loadConfig({ ...base, SESSION_TTL_SECONDS: '120' }).sessionTouchAfterSeconds).toBe(12);
    expect(loadConfig({ ...base, SESSION_TTL_SECONDS: '5' }).sessionTouchAfterSeconds).toBe(0);
  });

  it('refuses a SESSION_TOUCH_AFTER_SECONDS that is not less than the TTL', () => {
    expect(() => loadConfig({ ...base, SESSION_TTL_SECONDS: '60', SESSION_TOUCH_AFTER_SECONDS: '60' })).toThrow(
      new ConfigError('SESSION_TOUCH_AFTER_SECONDS must be less than SESSION_TTL_SECONDS (60), or every session would expire while in use (got "60")'),
    );
    expect(() => loadConfig({ ...base, SESSION_TOUCH_AFTER_SECONDS: 'soon' })).toThrow(/SESSION_TOUCH_AFTER_SECONDS must be an integer/);
  });

  it('reads REDIS_SENTINELS and REDIS_MASTER_NAME instead of REDIS_URL', () => {
    const config = loadConfig({ ...base, SESSION_STORE: 'redis', REDIS_SENTINELS: 'sentinel_1:26379, 10.0.0.2:26380,[::1]:26381', REDIS_MASTER_NAME: 'lab-primary' });
    expect(config.redisSentinels).toEqual([
      { host: 'sentinel_1', port: 26379 },
      { host: '10.0.0.2', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
    expect([config.redisMasterName, config.redisUrl, config.redisWaitReplicas]).toEqual(['lab-primary', undefined, 0]);
  });

  it('reads REDIS_CLUSTER_NODES instead of REDIS_URL', () => {
    const config = loadConfig({ ...base, SESSION_STORE: 'redis', REDIS_CLUSTER_NODES: 'redis-1:6379,redis-2:6379' });
    expect(config.redisClusterNodes).toEqual([
      { host: 'redis-1', port: 6379 },
      { host: 'redis-2', port: 6379 },
    ]);
    expect([config.redisUrl, config.redisSentinels]).toEqual([undefined, undefined]);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'redis-1' }, 'REDIS_CLUSTER_NODES must be host:port,host:port,… (got "redis-1")'],
    [{ REDIS_CLUSTER_NODES: 'redis-1:6379', REDIS_URL: 'redis://redis:6379' }, 'REDIS_CLUSTER_NODES excludes REDIS_URL and REDIS_SENTINELS: a node asks the cluster for its shards, the sentinels for a primary, or connects to one URL'],
    [{ REDIS_CLUSTER_NODES: 'redis-1:6379', REDIS_WAIT_REPLICAS: '1' }, 'REDIS_WAIT_REPLICAS does not go with REDIS_CLUSTER_NODES: WAIT would ask a shard picked at random, not the one that took the write'],
    [{ REDIS_SENTINELS: 'sentinel_1' }, 'REDIS_SENTINELS must be host:port,host:port,… (got "sentinel_1")'],
    [{ REDIS_SENTINELS: 'a:26379' }, 'REDIS_MASTER_NAME is required with REDIS_SENTINELS (the name the sentinels monitor)'],
    [{ REDIS_MASTER_NAME: 'lab-primary', REDIS_URL: 'redis://redis:6379' }, 'REDIS_MASTER_NAME needs REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_MASTER_NAME: 'x', REDIS_URL: 'redis://redis:6379' }, 'REDIS_URL and REDIS_SENTINELS exclude each other: a node asks the sentinels for the primary, or connects to one URL'],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_MASTER_NAME: 'two words' }, 'REDIS_MASTER_NAME must be 1–64 letters, digits, ".", "_" or "-" (got "two words")'],
    [{ REDIS_URL: 'redis://redis:6379', REDIS_WAIT_TIMEOUT_MS: '5000' }, 'REDIS_WAIT_TIMEOUT_MS must be an integer from 1 to 900 (got "5000")'],
  ])('refuses a bad Redis target %o', (env, message) => {
    expect(() => loadConfig({ ...base, SESSION_STORE: 'redis', ...env })).toThrow(new ConfigError(message));
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, COOKIE_SECURE: 'auto' }).cookieSecure).toBe('auto');
  });

  it.each([
    [{ SESSION_SECRET: '' }, 'SESSION_SECRET is required'],
    [{}, 'SESSION_SECRET is required'],
    [{ ...base, CART_MODE: 'locked' }, 'CART_MODE must be one of atomic, session (got "locked")'],
    [{ ...base, SESSION_STORE_TTL_SECONDS: '60' }, 'SESSION_STORE_TTL_SECONDS is read by the redis store only (SESSION_STORE is memory)'],
    [{ ...base, SESSION_STORE: 'redis', REDIS_URL: 'redis://r:6379', SESSION_STORE_TTL_SECONDS: '0' }, 'SESSION_STORE_TTL_SECONDS must be an integer from 1 to 31536000 (got "0")'],
    [{ ...base, LOGIN_CART: 'keep' }, 'LOGIN_CART must be one of merge, drop (got "keep")'],
    [{ ...base, DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX must be an integer from 1 to 1000 (got "0")'],
    [{ ...base, CACHE_TTL_SECONDS: '60' }, 'CACHE_TTL_SECONDS needs CACHE_URL (the Redis that caches product pages)'],
    [{ ...base, CACHE_URL: 'http://cache:6379' }, 'CACHE_URL'],
    [{ ...base, SESSION_SAVE_UNINITIALIZED: 'maybe' }, 'SESSION_SAVE_UNINITIALIZED must be true or false (got "maybe")'],
    [{ ...base, SESSION_STORE: 'cookie', SESSION_SAVE_UNINITIALIZED: 'false' }, 'SESSION_SAVE_UNINITIALIZED=false needs a store: the cookie store keeps nothing on a server to flood'],
    [{ ...base, SESSION_SECRET: 'a,,b' }, 'SESSION_SECRET must be comma-separated non-empty secrets'],
    [{ ...base, SESSION_STORE: 'mongo' }, 'SESSION_STORE must be one of memory, file, redis, postgres, cookie (got "mongo")'],
    [{ ...base, PORT: 'http' }, 'PORT must be an integer from 0 to 65535 (got "http")'],
    [{ ...base, PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ ...base, SESSION_TTL_SECONDS: '0' }, 'SESSION_TTL_SECONDS must be an integer from 1'],
    [{ ...base, SESSION_TTL_SECONDS: '1.5' }, 'SESSION_TTL_SECONDS must be an integer'],
    [{ ...base, NODE_NAME: 'server 1' }, 'NODE_NAME must be 1 to 64 letters'],
    [{ ...base, SESSION_STORE: 'redis' }, 'REDIS_URL is required when SESSION_STORE=redis'],
    [{ ...base, SESSION_STORE: 'redis', REDIS_URL: 'http://redis' }, 'REDIS_URL must be a redis: or rediss:// URL'],
    [{ ...base, SESSION_STORE: 'postgres' }, 'DATABASE_URL is required when SESSION_STORE=postgres'],
    [{ ...base, DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a postgres: or postgresql:// URL'],
    [{ ...base, TRUST_PROXY: 'everyone' }, 'TRUST_PROXY must be true, false, a hop count'],
    [{ ...base, COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true, false or auto (got "maybe")'],
    [{ ...base, SESSION_TOKEN_TTL_SECONDS: '-5' }, 'SESSION_TOKEN_TTL_SECONDS must be an integer from 1'],
    [{ ...base, SESSION_TOKEN_SLIDING: 'sometimes' }, 'SESSION_TOKEN_SLIDING must be true or false (got "sometimes")'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(errorOf(env)).toContain(message);
  });

  it('never repeats a password it refuses', () => {
    const message = errorOf({ ...base, DATABASE_URL: 'mysql://lab:hunter2@db/lab' });
    expect(message).not.toContain('hunter2');
    expect(redactUrl('redis://:hunter2@redis:6379')).toBe('redis://:***@redis:6379');
  });
});
