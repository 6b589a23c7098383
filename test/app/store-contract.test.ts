// The same contract for the four stores, each against the real thing: express-session's
// MemoryStore, session files on disk, a real redis-server, a real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionData, Store } from 'express-session';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type StoreKind } from '../../app/config.ts';
import { openStore, type OpenedStore } from '../../app/stores/index.ts';
import { testTempDir } from '../support/test-temp-dir.ts';
import { startTestNode } from '../support/test-node.ts';

const ttlSeconds = 2;

async function storeEnv(kind: StoreKind): Promise<Record<string, string>> {
  const env: Record<string, string> = { SESSION_STORE: kind };
  if (kind === 'file') env.SESSION_FILE_DIR = await testTempDir('files');
  if (kind === 'redis') env.REDIS_URL = inject('redisUrl');
  if (kind === 'postgres') env.DATABASE_URL = inject('databaseUrl');
  return env;
}

function sessionData(cart: SessionData['cart']): SessionData {
  const expires = new Date(Date.now() + ttlSeconds * 1000);
  return { cookie: { originalMaxAge: ttlSeconds * 1000, expires, httpOnly: true, path: '/' }, cart } as unknown as SessionData;
}

const storeCall = {
  // express-session reads an ENOENT error as "no such session" (session-file-store answers so).
  get: (store: Store, id: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(id, (err, s) => ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? resolve(undefined) : err ? reject(err) : resolve(s))),
    ),
  set: (store: Store, id: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.set(id, data, (err) => (err ? reject(err) : resolve()))),
  touch: (store: Store, id: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.touch!(id, data, (err?: unknown) => (err ? reject(err) : resolve()))),
  destroy: (store: Store, id: string) => new Promise<void>((resolve, reject) => store.destroy(id, (err) => (err ? reject(err) : resolve()))),
};

describe.concurrent.each(['memory', 'file', 'redis', 'postgres'] as const)('the %s store', (kind) => {
  let opened: OpenedStore;

  beforeAll(async () => {
    const env = await storeEnv(kind);
    opened = await openStore(loadConfig({ SESSION_SECRET: 's', SESSION_TTL_SECONDS: String(ttlSeconds), ...env }), () => {});
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('returns what was set', async () => {
    const id = randomUUID();
    await storeCall.set(opened.store!, id, sessionData([{ sku: 'apple', qty: 2 }]));
    expect((await storeCall.get(opened.store!, id))?.cart).toEqual([{ sku: 'apple', qty: 2 }]);
  });

  it('returns nothing for an id it never saw', async () => {
    expect(await storeCall.get(opened.store!, randomUUID())).toBeFalsy();
  });

  it('forgets a destroyed session', async () => {
    const id = randomUUID();
    await storeCall.set(opened.store!, id, sessionData([]));
    await storeCall.destroy(opened.store!, id);
    expect(await storeCall.get(opened.store!, id)).toBeFalsy();
  });

  it('counts the live sessions it holds, by its own count', async () => {
    const id = randomUUID();
    await storeCall.set(opened.store!, id, sessionData([]));
    const withIt = await opened.countSessions!();
    expect(withIt).toBeGreaterThanOrEqual(1);
    await storeCall.destroy(opened.store!, id);
    // Redis and PostgreSQL are shared with the tests running beside this one: only this store's own
    // heap and directory hold nobody else's sessions.
    if (kind === 'memory' || kind === 'file') expect(await opened.countSessions!()).toBe(withIt - 1);
  });

  describe('past a session’s TTL', () => {
    // One wait serves both claims: set two sessions, touch one halfway, then look past the first expiry.
    const touched = randomUUID();
    const untouched = randomUUID();
    beforeAll(async () => {
      await storeCall.set(opened.store!, touched, sessionData([{ sku: 'kept', qty: 1 }]));
      await storeCall.set(opened.store!, untouched, sessionData([{ sku: 'gone', qty: 1 }]));
      await sleep(1500);
      await storeCall.touch(opened.store!, touched, sessionData([{ sku: 'kept', qty: 1 }]));
      // Past the untouched session's expiry (stores round expiry up to a whole second), before the touched one's.
      await sleep(1700);
    });

    it('does not return the expired session', async () => {
      expect(await storeCall.get(opened.store!, untouched)).toBeFalsy();
    });

    it('returns a session that touch extended', async () => {
      expect((await storeCall.get(opened.store!, touched))?.cart).toEqual([{ sku: 'kept', qty: 1 }]);
    });
  });
});

describe('two app nodes', () => {
  async function cartAcrossNodes(kind: StoreKind, separateFileDirs = true) {
    const shared = await storeEnv(kind);
    const first = await startTestNode({ ...shared, NODE_NAME: 'server_1' });
    const second = await startTestNode({ ...(separateFileDirs ? await storeEnv(kind) : shared), NODE_NAME: 'server_2' });
    const device = first.device();
    await device.post('/cart/items', { sku: 'apple', qty: 3 });
    const onSecond = second.device('same-cookie');
    onSecond.setCookie('lab_sid', device.cookie('lab_sid'));
    const answer = await onSecond.get('/cart');
    return { state: answer.sessionState, servedBy: answer.servedBy, items: (answer.body as { items: unknown }).items };
  }

  it.each(['redis', 'postgres'] as const)('sharing %s see each other’s sessions', async (kind) => {
    expect(await cartAcrossNodes(kind)).toEqual({ state: 'existing', servedBy: 'server_2', items: [{ sku: 'apple', qty: 3 }] });
  });

  it('with separate file directories do not', async () => {
    expect(await cartAcrossNodes('file')).toEqual({ state: 'lost', servedBy: 'server_2', items: [] });
  });

  it('sharing one file directory do (what a shared volume would do)', async () => {
    expect(await cartAcrossNodes('file', false)).toEqual({ state: 'existing', servedBy: 'server_2', items: [{ sku: 'apple', qty: 3 }] });
  });

  it('with memory stores do not', async () => {
    expect(await cartAcrossNodes('memory')).toEqual({ state: 'lost', servedBy: 'server_2', items: [] });
  });
});

describe('start-up', () => {
  it('logs the store and its target without the password', async () => {
    const url = new URL(inject('databaseUrl'));
    url.password = 'hunter2'; // the test server trusts any password
    const node = await startTestNode({ SESSION_STORE: 'postgres', DATABASE_URL: url.toString() });
    const line = node.logs.find((l) => l.includes('listening'));
    const target = 'postgres:\\/\\/postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+\\/postgres';
    expect(line).toMatch(new RegExp(`^server_1 listening on port \\d+, postgres session store at ${target}, login on \\(users and tokens at ${target}\\)$`));
    expect(node.logs.join('\n')).not.toContain('hunter2');
  });
});
