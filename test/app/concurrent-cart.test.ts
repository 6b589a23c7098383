// Many adds of one session at once, against every store in both CART_MODEs: in atomic mode no
// acknowledged add is lost and the limits hold; in session mode adds are lost (the lab's
// lost-update demonstration must not silently stop working). Requests alternate between two
// nodes sharing the store (two nodes sharing one directory for the file store).
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoreKind } from '../../app/config.ts';
import { maxCartLines, maxQtyPerLine, type CartLine } from '../../app/contract.ts';
import { Device, type Answer } from '../../runner/http-client.ts';
import { testTempDir } from '../support/test-temp-dir.ts';
import { startNodeProcess } from '../support/node-process.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';

async function twoNodes(kind: StoreKind, cartMode: 'atomic' | 'session', ttlSeconds: number): Promise<[TestNode, TestNode]> {
  const env: Record<string, string> = { SESSION_STORE: kind, CART_MODE: cartMode, SESSION_TTL_SECONDS: String(ttlSeconds) };
  if (kind === 'file') env.SESSION_FILE_DIR = await testTempDir('shared-files');
  if (kind === 'redis') env.REDIS_URL = inject('redisUrl');
  if (kind === 'postgres') env.DATABASE_URL = inject('databaseUrl');
  return [await startTestNode({ ...env, NODE_NAME: 'server_1' }), await startTestNode({ ...env, NODE_NAME: 'server_2' })];
}

/** One browser: one cookie, the same on both nodes, many connections at once. */
class Browser {
  private readonly clients: Device[];

  constructor(nodes: { device(name: string): Device }[]) {
    this.clients = nodes.map((node, i) => node.device(`browser@${i}`));
  }

  async start(): Promise<void> {
    await this.clients[0]!.get('/cart');
    for (const client of this.clients.slice(1)) client.setCookie('lab_sid', this.clients[0]!.cookie('lab_sid'));
  }

  /** Sends the adds all at once, alternating nodes. */
  burst(adds: { sku: string; qty: number }[]): Promise<Answer[]> {
    return Promise.all(adds.map((add, i) => this.clients[i % this.clients.length]!.post('/cart/items', add)));
  }

  async cart(): Promise<CartLine[]> {
    return ((await this.clients[0]!.get('/cart')).body as { items: CartLine[] }).items;
  }
}

const distinct = (n: number, prefix = 'sku') => Array.from({ length: n }, (_, i) => ({ sku: `${prefix}-${i}`, qty: 1 }));

describe.each(['memory', 'file', 'redis', 'postgres'] as const)('the %s store', (kind) => {
  // The memory store cannot be shared: one node, in a process of its own as in the lab (a node in
  // the test's own process shares its event loop with the client, which serialises the requests).
  const nodesFor = async (cartMode: 'atomic' | 'session', ttlSeconds = 3600) => {
    if (kind === 'memory') return [await startNodeProcess({ CART_MODE: cartMode, SESSION_TTL_SECONDS: String(ttlSeconds) })];
    return twoNodes(kind, cartMode, ttlSeconds);
  };

  describe('with CART_MODE=atomic', () => {
    it('keeps every one of 20 adds sent at once', async () => {
      const browser = new Browser(await nodesFor('atomic'));
      await browser.start();
      const answers = await browser.burst(distinct(20));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect((await browser.cart()).map((l) => l.sku).sort()).toEqual(distinct(20).map((a) => a.sku).sort());
    });

    describe(`under ${maxCartLines + 10} adds of distinct skus at once`, () => {
      let answers: Answer[];
      let cart: CartLine[];
      beforeAll(async () => {
        const browser = new Browser(await nodesFor('atomic'));
        await browser.start();
        answers = await browser.burst(distinct(maxCartLines + 10));
        cart = await browser.cart();
      });

      it(`acknowledges exactly ${maxCartLines}`, () => expect(answers.filter((a) => a.status === 200)).toHaveLength(maxCartLines));
      it('refuses the rest with 400 naming the limit', () =>
        expect(new Set(answers.filter((a) => a.status !== 200).map((a) => JSON.stringify([a.status, a.body])))).toEqual(
          new Set([JSON.stringify([400, { error: 'invalid_field', message: `the cart holds at most ${maxCartLines} different skus`, field: 'sku' }])]),
        ));
      it('holds the acknowledged lines and no others', () => {
        const acknowledged = answers.flatMap((a, i) => (a.status === 200 ? [`sku-${i}`] : []));
        expect(cart.map((l) => l.sku).sort()).toEqual(acknowledged.sort());
      });
    });

    describe('under 30 adds of 40 of one sku at once', () => {
      let answers: Answer[];
      let cart: CartLine[];
      beforeAll(async () => {
        const browser = new Browser(await nodesFor('atomic'));
        await browser.start();
        answers = await browser.burst(Array.from({ length: 30 }, () => ({ sku: 'apple', qty: 40 })));
        cart = await browser.cart();
      });

      it(`acknowledges as many as fit in ${maxQtyPerLine}`, () => expect(answers.filter((a) => a.status === 200)).toHaveLength(Math.floor(maxQtyPerLine / 40)));
      it('holds exactly the acknowledged quantity', () => expect(cart).toEqual([{ sku: 'apple', qty: 40 * answers.filter((a) => a.status === 200).length }]));
    });

    it('keeps the cart as long as the session is used', async () => {
      const browser = new Browser(await nodesFor('atomic', 2));
      await browser.start();
      await browser.burst([{ sku: 'apple', qty: 1 }]);
      // Each read extends the session by its TTL, and the cart with it: 3 s of use outlive a 2 s TTL.
      for (let i = 0; i < 3; i++) {
        await sleep(1000);
        expect(await browser.cart()).toEqual([{ sku: 'apple', qty: 1 }]);
      }
    });
  });

  describe('with CART_MODE=session', () => {
    it('loses acknowledged adds when 20 are sent at once', async () => {
      const nodes = await nodesFor('session');
      // A race: up to three bursts, each on a session of its own, until one loses an acknowledged add.
      let lost = 0;
      for (let round = 0; round < 3 && lost === 0; round++) {
        const browser = new Browser(nodes);
        await browser.start();
        const answers = await browser.burst(distinct(20, `r${round}`));
        const kept = new Set((await browser.cart()).map((l) => l.sku));
        lost = answers.filter((a, i) => a.status === 200 && !kept.has(`r${round}-${i}`)).length;
      }
      expect(lost).toBeGreaterThan(0);
    });
  });
});
