// SESSION_STORE=cookie: the session sealed in the lab_sid cookie, no server state.
import { describe, expect, it } from 'vitest';
import { browserCookieLimitBytes, sessionCookieLine } from '../../app/cookie-session.ts';
import { loadConfig } from '../../app/config.ts';
import { maxCartLines } from '../../app/contract.ts';
import { startTestNode, testSecret } from '../support/test-node.ts';

const cookieNode = (env: Record<string, string> = {}) => startTestNode({ SESSION_STORE: 'cookie', ...env });
const longestLine = (i: number) => ({ sku: `l${String(i).padStart(3, '0')}-${'x'.repeat(27)}`, qty: 999 });

describe('the cookie store', () => {
  it('says new on a first visit and existing when the sealed cookie comes back', async () => {
    const device = (await cookieNode()).device();
    const first = await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const second = await device.get('/cart');
    expect([first.sessionState, second.sessionState, second.body]).toEqual(['new', 'existing', { node: 'server_1', items: [{ sku: 'apple', qty: 1 }] }]);
  });

  it('opens on another node with the same secret: no node needs to have seen the session', async () => {
    const phone = (await cookieNode()).device();
    await phone.post('/cart/items', { sku: 'apple', qty: 2 });
    const elsewhere = (await cookieNode({ NODE_NAME: 'server_2' })).device();
    elsewhere.setCookie('lab_sid', phone.cookie('lab_sid'));
    expect((await elsewhere.get('/cart')).body).toEqual({ node: 'server_2', items: [{ sku: 'apple', qty: 2 }] });
  });

  it('opens a cookie sealed with an older secret while the first one seals (rotation)', async () => {
    const old = (await cookieNode({ SESSION_SECRET: 'old' })).device();
    await old.post('/cart/items', { sku: 'apple', qty: 1 });
    const rotated = (await cookieNode({ SESSION_SECRET: 'new,old' })).device();
    rotated.setCookie('lab_sid', old.cookie('lab_sid'));
    const sealedOld = rotated.cookie('lab_sid');
    expect((await rotated.get('/cart')).sessionState).toBe('existing');
    // Sealed again with the first secret at once, so that "old" can go.
    expect(rotated.cookie('lab_sid')).not.toBe(sealedOld);
    const newOnly = (await cookieNode({ SESSION_SECRET: 'new', NODE_NAME: 'server_2' })).device();
    newOnly.setCookie('lab_sid', rotated.cookie('lab_sid'));
    expect((await newOnly.get('/cart')).body).toEqual({ node: 'server_2', items: [{ sku: 'apple', qty: 1 }] });
  });

  it('seals a read session again only once SESSION_TOUCH_AFTER_SECONDS passed (lazy touch)', async () => {
    const device = (await cookieNode({ SESSION_TTL_SECONDS: '60', SESSION_TOUCH_AFTER_SECONDS: '1' })).device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    expect((await device.get('/cart')).headers['set-cookie']).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const extended = await device.get('/cart');
    expect([extended.headers['set-cookie']].flat().some((line) => line?.startsWith('lab_sid='))).toBe(true);
    expect(extended.body).toEqual({ node: 'server_1', items: [{ sku: 'apple', qty: 1 }] });
  });

  it.each([
    ['sealed with another secret', 'other'],
    ['tampered with', 'tampered'],
    ['garbage', 'garbage'],
  ])('says lost, with an empty cart, for a cookie %s', async (_what, kind) => {
    const node = await cookieNode();
    const device = node.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    // Another secret's node for the first; the node that sealed it, with its secret, for the others.
    const stranger = kind === 'other' ? (await cookieNode({ SESSION_SECRET: 'another secret' })).device() : node.device();
    if (kind === 'other') stranger.setCookie('lab_sid', device.cookie('lab_sid'));
    // Four other characters at the end of the seal's MAC.
    if (kind === 'tampered') stranger.setCookie('lab_sid', device.cookie('lab_sid')!.replace(/(.{4})(~2)$/, (_, four: string, end: string) => `${four === 'AAAA' ? 'BBBB' : 'AAAA'}${end}`));
    if (kind === 'garbage') stranger.setCookie('lab_sid', 'Fe26.2*1*garbage');
    const answer = await stranger.get('/cart');
    expect([answer.sessionState, answer.body]).toEqual(['lost', { node: 'server_1', items: [] }]);
  });

  it('ends a session with DELETE /session: the device gets a new, empty one', async () => {
    const device = (await cookieNode()).device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    await device.delete('/session');
    expect((await device.get('/cart')).body).toEqual({ node: 'server_1', items: [] });
  });

  it('cannot end a copy of the session: the old cookie still opens after DELETE /session', async () => {
    const node = await cookieNode();
    const device = node.device('owner');
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const copy = node.device('copy');
    copy.setCookie('lab_sid', device.cookie('lab_sid'));
    await device.delete('/session');
    expect((await copy.get('/cart')).body).toEqual({ node: 'server_1', items: [{ sku: 'apple', qty: 1 }] });
  });

  it('sets no cookie on a health probe', async () => {
    const answer = await (await cookieNode()).device().get('/healthz');
    expect([answer.status, answer.headers['set-cookie']]).toEqual([200, undefined]);
  });

  describe('the cookie’s size', () => {
    const config = loadConfig({ SESSION_SECRET: testSecret, SESSION_STORE: 'cookie' });

    it(`stays under ${browserCookieLimitBytes} bytes with a full cart of the longest skus`, async () => {
      const line = await sessionCookieLine(config, true, { id: 'x'.repeat(24), cart: Array.from({ length: maxCartLines }, (_, i) => longestLine(i)) });
      expect(line.length).toBeLessThanOrEqual(browserCookieLimitBytes);
    });

    it('refuses a session a browser would drop, naming its size', async () => {
      const cart = Array.from({ length: maxCartLines + 10 }, (_, i) => longestLine(i));
      await expect(sessionCookieLine(config, true, { id: 'x'.repeat(24), cart })).rejects.toThrow(/would make the session cookie \d+ bytes \(60 cart lines/);
    });
  });
});

describe('CART_MODE with the cookie store', () => {
  it('defaults to session: there is no server state to change atomically', () => {
    expect(loadConfig({ SESSION_SECRET: 's', SESSION_STORE: 'cookie' }).cartMode).toBe('session');
  });

  it('refuses atomic, naming the variable', () => {
    expect(() => loadConfig({ SESSION_SECRET: 's', SESSION_STORE: 'cookie', CART_MODE: 'atomic' })).toThrow(/^CART_MODE=atomic needs a server-side store/);
  });
});
