// A store that goes away: requests fail fast with 503, /healthz says so, and the node recovers
// by itself when the store returns. Each test owns its server, since it stops it.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { startServer } from '../../app/server.ts';
import { PostgresServer } from '../../runner/servers/postgres.ts';
import { RedisServer } from '../../runner/servers/redis.ts';
import type { Answer, Device } from '../../runner/http-client.ts';
import { freePort } from '../../runner/free-port.ts';
import { makeTempDir } from '../../runner/temp-dir.ts';
import { startTestNode, testSecret } from '../support/test-node.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type StoreServer = RedisServer | PostgresServer;

async function ownServer(kind: 'redis' | 'postgres'): Promise<StoreServer> {
  const dir = await makeTempDir(kind);
  const port = await freePort();
  // Redis with an append-only file, so that the cart also survives the outage.
  const server = kind === 'redis' ? new RedisServer({ port, dir: dir.path, persistence: ['--appendonly', 'yes'] }) : new PostgresServer({ port, dataDir: join(dir.path, 'data') });
  await server.start();
  cleanups.push(async () => {
    await server.stop();
    await dir.remove();
  });
  return server;
}

async function timed(call: () => Promise<Answer>): Promise<Answer & { ms: number }> {
  const startedAt = performance.now();
  const answer = await call();
  return { ...answer, ms: performance.now() - startedAt };
}

async function untilHealthy(device: Device, timeoutMs: number): Promise<number> {
  const startedAt = performance.now();
  while (performance.now() - startedAt < timeoutMs) {
    if ((await device.get('/healthz')).status === 200) return performance.now() - startedAt;
    await sleep(100);
  }
  throw new Error(`not healthy within ${timeoutMs} ms`);
}

describe.each(['redis', 'postgres'] as const)('when %s goes away', (kind) => {
  it('answers 503 within about a second, says so on /healthz, and recovers when it returns', async () => {
    const server = await ownServer(kind);
    const env = { SESSION_STORE: kind, [kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL']: server.url };
    const node = await startTestNode(env);
    const shopper = node.device('shopper');
    await shopper.post('/cart/items', { sku: 'apple', qty: 2 });

    await server.stop();
    const newcomer = node.device('newcomer');
    // The shopper's session could not be read: unknown. The newcomer's is new; only its save failed.
    for (const [device, call, state] of [
      [shopper, () => shopper.get('/cart'), 'unknown'],
      [shopper, () => shopper.post('/cart/items', { sku: 'tea', qty: 1 }), 'unknown'],
      [newcomer, () => newcomer.get('/cart'), 'new'],
    ] as const) {
      const answer = await timed(call);
      expect(answer.status, device.name).toBe(503);
      expect(answer.body).toMatchObject({ error: 'store_unavailable' });
      expect([answer.servedBy, answer.sessionState]).toEqual(['server_1', state]);
      expect(answer.ms).toBeLessThan(1500);
    }
    const health = await timed(() => shopper.get('/healthz'));
    expect([health.status, health.body, health.sessionState]).toEqual([503, expect.objectContaining({ ok: false, error: 'store_unavailable' }), 'unknown']);
    expect(health.ms).toBeLessThan(1500);

    await server.start();
    await untilHealthy(shopper, 10_000);
    const back = await shopper.get('/cart');
    expect([back.status, back.sessionState, back.body]).toEqual([200, 'existing', { node: 'server_1', items: [{ sku: 'apple', qty: 2 }] }]);
    expect(node.logs.join('\n')).not.toContain('unexpected error');
  });

  it('waits for it at start-up, retrying with backoff and saying why', async () => {
    const port = await freePort();
    const url = kind === 'redis' ? `redis://127.0.0.1:${port}` : `postgres://postgres@127.0.0.1:${port}/postgres`;
    const config = loadConfig({ SESSION_SECRET: testSecret, PORT: '0', NODE_NAME: 'server_1', SESSION_STORE: kind, [kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL']: url });
    const logs: string[] = [];
    const starting = startServer(config, (line) => logs.push(line));
    await sleep(1200);
    expect(logs.filter((l) => l.includes('not ready')).length).toBeGreaterThanOrEqual(2);
    expect(logs[0]).toMatch(new RegExp(`^${kind} store at ${kind}://\\S*127\\.0\\.0\\.1:${port}\\S* not ready \\(.*ECONNREFUSED.*\\); attempt 1, retrying in 250 ms$`));

    const dir = await makeTempDir(kind);
    const server = kind === 'redis' ? new RedisServer({ port, dir: dir.path }) : new PostgresServer({ port, dataDir: join(dir.path, 'data') });
    cleanups.push(async () => {
      await server.stop();
      await dir.remove();
    });
    await server.start();
    const node = await starting;
    cleanups.push(() => node.close());
    expect(logs.at(-1)).toMatch(/listening on port/);
  });
});

describe('when redis hangs (accepts connections, answers nothing)', () => {
  it('answers 503 within about a second instead of hanging, and recovers when it answers again', async () => {
    const server = (await ownServer('redis')) as RedisServer;
    const node = await startTestNode({ SESSION_STORE: 'redis', REDIS_URL: server.url });
    const shopper = node.device('shopper');
    await shopper.post('/cart/items', { sku: 'apple', qty: 1 });
    server.pause();
    try {
      const answer = await timed(() => shopper.get('/cart'));
      expect([answer.status, answer.ms < 1500]).toEqual([503, true]);
    } finally {
      server.resume();
    }
    await untilHealthy(shopper, 10_000);
    expect((await shopper.get('/cart')).body).toEqual({ node: 'server_1', items: [{ sku: 'apple', qty: 1 }] });
  });
});

describe('when the login database goes away', () => {
  it('answers token checks and logins with 503 within about a second, never 500, and recovers', async () => {
    const server = (await ownServer('postgres')) as PostgresServer;
    const node = await startTestNode({ DATABASE_URL: server.url });
    const phone = node.device('phone');
    expect((await phone.post('/signup', { username: 'ada', password: 'correct horse' })).status).toBe(201);
    await server.stop();
    for (const call of [() => phone.get('/me'), () => node.device('other').post('/login', { username: 'ada', password: 'correct horse' })]) {
      const answer = await timed(call);
      expect([answer.status, (answer.body as { error: string }).error]).toEqual([503, 'store_unavailable']);
      expect(answer.ms).toBeLessThan(1500);
    }
    await server.start();
    const deadline = Date.now() + 10_000;
    while ((await phone.get('/me')).status !== 200) {
      if (Date.now() > deadline) throw new Error('login did not recover');
      await sleep(100);
    }
    expect(node.logs.join('\n')).not.toContain('unexpected error');
  });
});
