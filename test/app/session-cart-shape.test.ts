// The cart's shape in the session (CART_MODE=session) across two versions of the shop sharing one
// Redis, as during a rolling deploy: what a strict node makes of the other version's session, and
// that a tolerant one reads both. One session, carried from node to node by copying its cookie.
import { describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';

const shop = (shape: string, reader = 'strict') => startTestNode({ SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl'), CART_MODE: 'session', SESSION_CART_SHAPE: shape, SESSION_CART_READER: reader });

/** Adds an apple on `from`, then reads the cart on `to` with the same session cookie. */
async function addThenRead(from: TestNode, to: TestNode) {
  const writer = from.device();
  const added = await writer.post('/cart/items', { sku: 'apple', qty: 1 });
  expect(added.status).toBe(200);
  const reader = to.device();
  reader.setCookie('lab_sid', writer.cookie('lab_sid'));
  return { reader, read: await reader.get('/cart') };
}

describe('a version 1 node (list) meeting a session version 2 wrote (map)', () => {
  it('answers 500: it cannot read the shape', async () => {
    const { read } = await addThenRead(await shop('map'), await shop('list'));
    expect([read.status, read.sessionState]).toEqual([500, 'existing']);
  });
});

describe('a version 2 node (map) meeting a session version 1 wrote (list)', () => {
  it('shows an empty cart, and its next add stores only that add', async () => {
    const v2 = await shop('map');
    const { reader, read } = await addThenRead(await shop('list'), v2);
    expect([read.status, read.body]).toEqual([200, expect.objectContaining({ items: [] })]);
    const next = await reader.post('/cart/items', { sku: 'bread', qty: 1 });
    expect(next.body).toEqual(expect.objectContaining({ items: [{ sku: 'bread', qty: 1 }] }));
  });
});

describe('a tolerant node', () => {
  it('reads a list written by version 1 while it writes maps', async () => {
    const { reader, read } = await addThenRead(await shop('list'), await shop('map', 'tolerant'));
    expect(read.body).toEqual(expect.objectContaining({ items: [{ sku: 'apple', qty: 1 }] }));
    const next = await reader.post('/cart/items', { sku: 'bread', qty: 2 });
    expect(next.body).toEqual(expect.objectContaining({ items: [{ sku: 'apple', qty: 1 }, { sku: 'bread', qty: 2 }] }));
  });

  it('reads a map written by version 2 while it writes lists', async () => {
    const { read } = await addThenRead(await shop('map'), await shop('list', 'tolerant'));
    expect(read.body).toEqual(expect.objectContaining({ items: [{ sku: 'apple', qty: 1 }] }));
  });
});

describe('the variables', () => {
  it('are refused where the cart is not a field of a stored session', () => {
    expect(() => loadConfig({ SESSION_SECRET: 's', SESSION_CART_SHAPE: 'map' })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_SECRET: 's', SESSION_STORE: 'cookie', SESSION_CART_READER: 'tolerant' })).toThrow(/SESSION_CART_READER shapes the cart kept in a stored session/);
    expect(() => loadConfig({ SESSION_SECRET: 's', CART_MODE: 'session', SESSION_CART_SHAPE: 'tree' })).toThrow('SESSION_CART_SHAPE must be one of list, map (got "tree")');
  });
});
