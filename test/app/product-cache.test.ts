// Product pages and their cache (CACHE_URL), against real Redis servers: what redis-eviction's
// crawler fills the sessions' Redis with, and what a full Redis does to a page.
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { productPageSize } from '../../app/routes/products.ts';
import { oneRedisService } from '../support/one-service.ts';
import { startTestNode } from '../support/test-node.ts';

describe('with CACHE_URL', () => {
  it('renders a product page once, then answers it from the cache, without making a session', async () => {
    const node = await startTestNode({ CACHE_URL: inject('redisUrl') });
    const visitor = node.device();
    const sku = `p-${Date.now()}`;
    const first = await visitor.get(`/products/${sku}`);
    const second = await visitor.get(`/products/${sku}`);
    expect([first.status, first.headers['x-cache'], second.headers['x-cache']]).toEqual([200, 'miss', 'hit']);
    expect(String(second.body).length).toBe(productPageSize(sku));
    expect(visitor.cookie('lab_sid')).toBeUndefined();
  });

  it('reports the cache’s Redis at /debug/cache', async () => {
    const node = await startTestNode({ CACHE_URL: inject('redisUrl') });
    const answer = await node.device().get('/debug/cache');
    expect(answer.body).toEqual({ node: 'server_1', cache: expect.objectContaining({ policy: 'noeviction', evictedKeys: expect.any(Number), usedMemoryBytes: expect.any(Number) }) });
  });
});

describe('when the cache’s Redis is full and refuses writes (noeviction)', () => {
  it('still answers every page, and logs the failed write once', async () => {
    const { server } = await oneRedisService();
    const admin = new Redis(server.port);
    await admin.config('SET', 'maxmemory', '1');
    const node = await startTestNode({ CACHE_URL: `redis://127.0.0.1:${server.port}` });
    const visitor = node.device();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await visitor.get(`/products/p-${i}`)).status);
    await admin.quit();
    expect(statuses).toEqual([200, 200, 200]);
    expect(node.logs.filter((line) => line.includes('page cache') && line.includes('a write failed'))).toHaveLength(1);
  });
});

describe('without CACHE_URL', () => {
  it('renders every page, and /debug/cache says there is no cache', async () => {
    const node = await startTestNode();
    const visitor = node.device();
    expect((await visitor.get('/products/apple')).headers['x-cache']).toBe('miss');
    expect((await visitor.get('/products/apple')).headers['x-cache']).toBe('miss');
    expect((await visitor.get('/debug/cache')).body).toEqual({ node: 'server_1', cache: null });
  });
});
