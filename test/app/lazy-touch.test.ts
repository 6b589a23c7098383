// Lazy touch against the real stores: how many writes 100 reads of one session cause, counted where
// each store keeps the session (Redis keyspace events, the PostgreSQL row's versions, the file's
// modification time, MemoryStore's own calls), and whether the cookie's expiry follows the store's.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import session from 'express-session';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { unsign } from 'cookie-signature';
import type { StoreKind } from '../../app/config.ts';
import type { Device } from '../../runner/http-client.ts';
import { startTestNode, testSecret } from '../support/test-node.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

const reads = 100;
const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
afterAll(() => db.end());
afterEach(() => vi.restoreAllMocks());

function sessionId(device: Device): string {
  const signed = decodeURIComponent(device.cookie('lab_sid')!).slice(2);
  return unsign(signed, testSecret) as string;
}

/** Something that changes whenever the store writes the session (or its expiry), read after each request. */
interface WriteCounter {
  /** Called after each request; counts a write when the store's record changed since the last call. */
  look(): Promise<void>;
  writes(): number;
  close(): Promise<void>;
}

function changes(read: () => Promise<unknown>): WriteCounter {
  let last: unknown;
  let count = 0;
  return {
    async look() {
      const now = await read();
      if (last !== undefined && now !== last) count++;
      last = now;
    },
    writes: () => count,
    close: async () => {},
  };
}

async function writeCounter(kind: StoreKind, sid: string, env: Record<string, string>): Promise<WriteCounter> {
  switch (kind) {
    case 'memory': {
      // The store lives in this process: its own set and touch are its writes.
      const calls = () => [...vi.mocked(session.MemoryStore.prototype.set).mock.calls, ...vi.mocked(session.MemoryStore.prototype.touch).mock.calls].filter(([id]) => id === sid).length;
      const before = calls();
      return { look: async () => {}, writes: () => calls() - before, close: async () => {} };
    }
    case 'file': {
      const file = join(env.SESSION_FILE_DIR!, `${sid}.json`);
      return changes(async () => statSync(file, { bigint: true }).mtimeNs);
    }
    case 'postgres':
      // Every UPDATE makes a new version of the row, with a new xmin.
      return changes(async () => (await db.query<{ xmin: string }>('SELECT xmin FROM session WHERE sid = $1', [sid])).rows[0]?.xmin);
    case 'redis': {
      const key = `lab_sess:${sid}`;
      const admin = new Redis(env.REDIS_URL!);
      await admin.config('SET', 'notify-keyspace-events', 'Kg$');
      const subscriber = new Redis(env.REDIS_URL!);
      let count = 0;
      let previous = '';
      subscriber.on('message', (_channel, event: string) => {
        // A SET with an expiry tells "set" then "expire": one write.
        if (event === 'set' || (event === 'expire' && previous !== 'set')) count++;
        previous = event;
      });
      await subscriber.subscribe(`__keyspace@0__:${key}`);
      return {
        look: async () => {},
        writes: () => count,
        close: async () => {
          subscriber.disconnect();
          admin.disconnect();
        },
      };
    }
    case 'cookie':
      throw new Error('the cookie store keeps nothing on the server');
  }
}

async function storeEnv(kind: StoreKind): Promise<Record<string, string>> {
  if (kind === 'file') return { SESSION_STORE: kind, SESSION_FILE_DIR: await testTempDir('lazy-touch') };
  if (kind === 'redis') return { SESSION_STORE: kind, REDIS_URL: inject('redisUrl') };
  if (kind === 'postgres') return { SESSION_STORE: kind, DATABASE_URL: inject('databaseUrl') };
  return { SESSION_STORE: kind };
}

describe.each(['memory', 'file', 'redis', 'postgres'] as const)('the %s store', (kind) => {
  async function writesPerReads(extra: Record<string, string>): Promise<number> {
    vi.spyOn(session.MemoryStore.prototype, 'set');
    vi.spyOn(session.MemoryStore.prototype, 'touch');
    const env = { ...(await storeEnv(kind)), SESSION_TTL_SECONDS: '3600', ...extra };
    const node = await startTestNode(env);
    const device = node.device();
    expect((await device.post('/cart/items', { sku: 'apple', qty: 1 })).status).toBe(200);
    const counter = await writeCounter(kind, sessionId(device), env);
    try {
      await counter.look();
      for (let i = 0; i < reads; i++) {
        expect((await device.get('/cart')).sessionState).toBe('existing');
        await counter.look();
      }
      // Keyspace events arrive on their own connection: give the last ones time to come.
      await sleep(100);
      return counter.writes();
    } finally {
      await counter.close();
    }
  }

  it(`writes at most 3 times for ${reads} reads with the default SESSION_TOUCH_AFTER_SECONDS`, async () => {
    expect(await writesPerReads({})).toBeLessThanOrEqual(3);
  });

  it(`writes on nearly every one of ${reads} reads with SESSION_TOUCH_AFTER_SECONDS=0 (touch on every read)`, async () => {
    expect(await writesPerReads({ SESSION_TOUCH_AFTER_SECONDS: '0' })).toBeGreaterThanOrEqual(reads * 0.9);
  });

  it('after an extension, writes nothing and sends no cookie until the next one is due', async () => {
    vi.spyOn(session.MemoryStore.prototype, 'set');
    vi.spyOn(session.MemoryStore.prototype, 'touch');
    // Three seconds between extensions: the 20 reads below must all come before the next one is
    // due, and with one second a busy machine (the suite's files run in parallel) let the first
    // read come after it.
    const env = { ...(await storeEnv(kind)), SESSION_TTL_SECONDS: '60', SESSION_TOUCH_AFTER_SECONDS: '3' };
    const node = await startTestNode(env);
    const device = node.device();
    expect((await device.post('/cart/items', { sku: 'apple', qty: 1 })).status).toBe(200);
    const sid = sessionId(device);
    const counter = await writeCounter(kind, sid, env);
    const stored = await storedSession(kind, sid);
    const before = await stored();
    const setsCookie = (answer: { headers: Record<string, string | string[] | undefined> }) => [answer.headers['set-cookie'] ?? []].flat().some((line) => line.startsWith('lab_sid='));
    try {
      await counter.look();
      await sleep(3100);
      const extension = await device.get('/cart');
      await counter.look();
      expect(setsCookie(extension)).toBe(true);
      for (let i = 0; i < 20; i++) {
        const read = await device.get('/cart');
        expect(read.sessionState).toBe('existing');
        expect(read.body).toMatchObject({ items: [{ sku: 'apple', qty: 1 }] });
        expect(setsCookie(read), `read ${i} after the extension`).toBe(false);
        await counter.look();
      }
      await sleep(100);
      expect(counter.writes()).toBe(1);
      // The stored session says when it was extended, and nothing else in it changed.
      const after = await stored();
      if (before && after) {
        const cookieExpiresMs = Date.parse(/Expires=([^;]+)/.exec([extension.headers['set-cookie'] ?? []].flat().find((l) => l.startsWith('lab_sid='))!)![1]!);
        expect(Math.abs(Date.parse(after.cookie.expires) - cookieExpiresMs)).toBeLessThan(1500);
        expect(Date.parse(after.cookie.expires)).toBeGreaterThan(Date.parse(before.cookie.expires));
        expect({ ...after, cookie: { ...after.cookie, expires: '' } }).toEqual({ ...before, cookie: { ...before.cookie, expires: '' } });
      }
    } finally {
      await counter.close();
    }
  });
});

type StoredSession = { cookie: { expires: string } } & Record<string, unknown>;

/** Reads the session as Redis or PostgreSQL keeps it (undefined for the other stores). */
async function storedSession(kind: StoreKind, sid: string): Promise<() => Promise<StoredSession | undefined>> {
  if (kind === 'redis') {
    return async () => {
      const redis = new Redis(inject('redisUrl'));
      try {
        return JSON.parse((await redis.get(`lab_sess:${sid}`))!) as StoredSession;
      } finally {
        redis.disconnect();
      }
    };
  }
  if (kind === 'postgres') return async () => (await db.query<{ sess: StoredSession }>('SELECT sess FROM session WHERE sid = $1', [sid])).rows[0]!.sess;
  return async () => undefined;
}

describe('an extension, once due', () => {
  it('moves the store’s expiry and sends the cookie again with the same expiry; a read before it sends none', async () => {
    const env = { SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl'), SESSION_TTL_SECONDS: '60', SESSION_TOUCH_AFTER_SECONDS: '1' };
    const node = await startTestNode(env);
    const device = node.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const redis = new Redis(env.REDIS_URL);
    try {
      const key = `lab_sess:${sessionId(device)}`;
      const early = await device.get('/cart');
      expect(early.headers['set-cookie']).toBeUndefined();
      await sleep(1100);
      const ttlBeforeMs = await redis.pttl(key);
      const due = await device.get('/cart');
      const storeExpiresMs = Date.now() + (await redis.pttl(key));
      expect(await redis.pttl(key)).toBeGreaterThan(ttlBeforeMs);
      const line = [due.headers['set-cookie'] ?? []].flat().find((l) => l.startsWith('lab_sid='));
      expect(line).toBeDefined();
      const cookieExpiresMs = Date.parse(/Expires=([^;]+)/.exec(line!)![1]!);
      // Expires has whole seconds.
      expect(Math.abs(cookieExpiresMs - storeExpiresMs)).toBeLessThan(1500);
      expect(line!.startsWith(`lab_sid=${device.cookie('lab_sid')}`)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
