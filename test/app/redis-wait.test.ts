// REDIS_WAIT_REPLICAS against real redis-servers: a write is acknowledged only once a replica has
// it, and answered 503 when no replica confirms it in time.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runner/free-port.ts';
import { RedisServer } from '../../runner/servers/redis.ts';
import { makeTempDir } from '../../runner/temp-dir.ts';
import { startTestNode } from '../support/test-node.ts';

const servers: RedisServer[] = [];
const dirs: { remove(): Promise<void> }[] = [];

async function redis(persistence: string[] = []): Promise<RedisServer> {
  const dir = await makeTempDir('redis-wait');
  dirs.push(dir);
  const server = new RedisServer({ port: await freePort(), dir: dir.path, persistence });
  servers.push(server);
  await server.start();
  return server;
}

let primary: RedisServer;
let replica: RedisServer;
let lonely: RedisServer;

beforeAll(async () => {
  primary = await redis();
  replica = await redis(['--replicaof', '127.0.0.1', String(primary.port)]);
  lonely = await redis();
  // Until the replica has synced (state=online), WAIT counts it as not there.
  const client = new Redis(primary.url);
  try {
    for (let i = 0; i < 200 && !/slave0:.*state=online/.test(await client.info('replication')); i++) await sleep(50);
  } finally {
    client.disconnect();
  }
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dirs) await dir.remove();
});

describe('REDIS_WAIT_REPLICAS=1', () => {
  it('acknowledges a write once the replica has it, and the replica has the cart', async () => {
    // The longest wait the node allows (within its 1 s store deadline): the claim is what an
    // acknowledgement means, and a replica starved of CPU by the tests beside it once took longer
    // than the default 500 ms to confirm.
    const node = await startTestNode({ SESSION_STORE: 'redis', REDIS_URL: primary.url, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '900' });
    const answer = await node.device().post('/cart/items', { sku: 'apple', qty: 2 });
    expect(answer.status).toBe(200);
    // Acknowledged means replicated: the session and its cart are on the replica at once.
    const onReplica = new Redis(replica.url);
    try {
      expect((await onReplica.keys('lab_*')).length).toBeGreaterThanOrEqual(2);
    } finally {
      onReplica.disconnect();
    }
  });

  it('answers 503, not 200, when no replica confirms the write within REDIS_WAIT_TIMEOUT_MS', async () => {
    const node = await startTestNode({ SESSION_STORE: 'redis', REDIS_URL: lonely.url, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '200' });
    const startedMs = performance.now();
    const answer = await node.device().post('/cart/items', { sku: 'apple', qty: 1 });
    expect(answer.status).toBe(503);
    expect(performance.now() - startedMs).toBeLessThan(2000);
    expect(answer.body).toMatchObject({ error: 'store_unavailable' });
  });
});
