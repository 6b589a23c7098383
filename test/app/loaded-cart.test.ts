// GET /cart in CART_MODE=atomic asks the backend once: the session and its cart are read together
// (Redis: both commands in one write; PostgreSQL: one statement). Watched on the node's real
// connections, in this process.
import net from 'node:net';
import pg from 'pg';
import { unsign } from 'cookie-signature';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { Device } from '../../runner/http-client.ts';
import { startTestNode, testSecret } from '../support/test-node.ts';

afterEach(() => vi.restoreAllMocks());

function sessionId(device: Device): string {
  return unsign(decodeURIComponent(device.cookie('lab_sid')!).slice(2), testSecret) as string;
}

async function deviceWithCart(env: Record<string, string>): Promise<Device> {
  const node = await startTestNode({ ...env, CART_MODE: 'atomic' });
  const device = node.device();
  for (const sku of ['apple', 'pear']) expect((await device.post('/cart/items', { sku, qty: 2 })).status).toBe(200);
  return device;
}

const items = [
  { sku: 'apple', qty: 2 },
  { sku: 'pear', qty: 2 },
];

describe('the Redis store', () => {
  const redisPort = Number(new URL(inject('redisUrl')).port);

  it('reads the session and its cart in one write to Redis', async () => {
    const device = await deviceWithCart({ SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl') });
    const sid = sessionId(device);
    const write = vi.spyOn(net.Socket.prototype, 'write');
    const answer = await device.get('/cart');
    expect(answer.status).toBe(200);
    expect((answer.body as { items: unknown }).items).toEqual(items);
    const toRedis = write.mock.contexts.flatMap((socket, i) => ((socket as net.Socket).remotePort === redisPort ? [String(write.mock.calls[i]![0])] : []));
    expect(toRedis).toHaveLength(1);
    expect(toRedis[0]).toContain(`lab_sess:${sid}`);
    expect(toRedis[0]).toContain(`lab_cart:{lab_sess:${sid}}`);
  });

  it('shows the cart as changed by the requests before', async () => {
    const device = await deviceWithCart({ SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl') });
    expect((await device.delete('/cart/items/apple')).status).toBe(200);
    expect(((await device.get('/cart')).body as { items: unknown }).items).toEqual([{ sku: 'pear', qty: 2 }]);
  });
});

describe('the PostgreSQL store', () => {
  it('reads the session and its cart with one statement', async () => {
    const device = await deviceWithCart({ SESSION_STORE: 'postgres', DATABASE_URL: inject('databaseUrl') });
    const query = vi.spyOn(pg.Pool.prototype, 'query');
    const answer = await device.get('/cart');
    expect(answer.status).toBe(200);
    expect((answer.body as { items: unknown }).items).toEqual(items);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('shows the cart as changed by the requests before, and none for a session it does not have', async () => {
    const device = await deviceWithCart({ SESSION_STORE: 'postgres', DATABASE_URL: inject('databaseUrl') });
    expect((await device.delete('/cart/items/apple')).status).toBe(200);
    expect(((await device.get('/cart')).body as { items: unknown }).items).toEqual([{ sku: 'pear', qty: 2 }]);
    // Another first character of the session id: a session the store does not have (X, unless it is X already).
    device.setCookie('lab_sid', device.cookie('lab_sid')!.replace(/^s%3A(.)/, (_, first: string) => `s%3A${first === 'X' ? 'Y' : 'X'}`));
    const lost = await device.get('/cart');
    expect(lost.sessionState).toBe('lost');
    expect((lost.body as { items: unknown }).items).toEqual([]);
  });
});
