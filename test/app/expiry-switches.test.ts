// The switches that let the cookie's expiry and the store's disagree (store-ttl-vs-cookie shows
// what users see): a rolling cookie over a store that reads never extend, and a store TTL that
// ignores the cookie's. Against a real Redis.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTestNode } from '../support/test-node.ts';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

const setCookieOf = (headers: Record<string, string | string[] | undefined>) => [headers['set-cookie'] ?? []].flat().find((line) => line.startsWith('lab_sid='));

describe('with SESSION_ROLLING=true and SESSION_STORE_TOUCH=false', () => {
  it('sends the cookie again on every read, while the store keeps the session only TTL after its last save', async () => {
    const node = await startTestNode({ SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl'), SESSION_TTL_SECONDS: '2', SESSION_ROLLING: 'true', SESSION_STORE_TOUCH: 'false' });
    const device = node.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(600);
      const read = await device.get('/cart');
      expect(setCookieOf(read.headers)).toMatch(/Expires=/);
      states.push(read.sessionState!);
    }
    // Read every 0.6 s, the session still ends 2 s after the add: at the 4th read at the latest.
    expect(states.slice(0, 2)).toEqual(['existing', 'existing']);
    expect(states).toContain('lost');
  });
});

describe('with SESSION_STORE_TTL_SECONDS', () => {
  it('keeps the session in Redis that long, whatever the cookie’s expiry', async () => {
    const node = await startTestNode({ SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl'), SESSION_TTL_SECONDS: '2', SESSION_STORE_TTL_SECONDS: '120' });
    const device = node.device();
    const added = await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookieOf(added.headers) ?? '')![1]!);
    expect(expires - Date.now()).toBeLessThan(3000);
    const sid = decodeURIComponent(device.cookie('lab_sid')!).slice(2).split('.')[0]!;
    expect(await redis.ttl(`lab_sess:${sid}`)).toBeGreaterThan(100);
    expect(await redis.ttl(`lab_cart:{lab_sess:${sid}}`)).toBeGreaterThan(100);
    await sleep(2500);
    // Past the cookie's expiry, the same cookie still opens the session.
    const late = await device.get('/cart');
    expect([late.sessionState, late.body]).toEqual(['existing', expect.objectContaining({ items: [{ sku: 'apple', qty: 1 }] })]);
  });
});
