// The shop over real sockets: every route, both headers, the session states and bad input.
import { readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { sign } from 'cookie-signature';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../runner/http-client.ts';
import { testTempDir } from '../support/test-temp-dir.ts';
import { startTestNode, testSecret } from '../support/test-node.ts';

function expectShopHeaders(answer: Answer, state: string) {
  expect(answer.servedBy).toBe('server_1');
  expect(answer.sessionState).toBe(state);
}

function setCookieOf(answer: Answer): string {
  return [answer.headers['set-cookie'] ?? []].flat().join('\n');
}

describe('the shop, from the outside', () => {
  it('gives a first visit a new session and its cookie, and recognises it on the next visit (the article’s /session demo)', async () => {
    const device = (await startTestNode()).device();
    const first = await device.get('/session');
    expectShopHeaders(first, 'new');
    expect(first.body).toMatchObject({ node: 'server_1', isNew: true, cookies: {} });
    expect(setCookieOf(first)).toMatch(/^lab_sid=s%3A[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);

    const second = await device.get('/session');
    expectShopHeaders(second, 'existing');
    const { sessionID } = first.body as { sessionID: string };
    expect(second.body).toEqual({ sessionID, node: 'server_1', isNew: false, cookies: { lab_sid: `s:${sessionID}.${sign(sessionID, testSecret).split('.')[1]}` } });
  });

  it('keeps a cart: add, add more, remove, remove again', async () => {
    const device = (await startTestNode()).device();
    expect((await device.get('/cart')).body).toEqual({ node: 'server_1', items: [] });
    await device.post('/cart/items', { sku: 'apple', qty: 2 });
    const more = await device.post('/cart/items', { sku: 'apple', qty: 1 });
    expectShopHeaders(more, 'existing');
    await device.post('/cart/items', { sku: 'tea-1', qty: 5 });
    expect((await device.get('/cart')).body).toEqual({ node: 'server_1', items: [{ sku: 'apple', qty: 3 }, { sku: 'tea-1', qty: 5 }] });
    const removed = await device.delete('/cart/items/apple');
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ node: 'server_1', items: [{ sku: 'tea-1', qty: 5 }] });
    const again = await device.delete('/cart/items/apple');
    expect([again.status, again.body]).toEqual([200, { node: 'server_1', items: [{ sku: 'tea-1', qty: 5 }] }]);
  });

  it('serves a page with the node, the session state and the cart', async () => {
    const device = (await startTestNode()).device();
    await device.post('/cart/items', { sku: 'coffee', qty: 1 });
    const page = await device.get('/');
    expectShopHeaders(page, 'existing');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('"node":"server_1"');
    expect(page.text).toContain('"sessionState":"existing"');
    expect(page.text).toContain('{"sku":"coffee","qty":1}');
    expect(page.text).not.toMatch(/src="http|href="http/);
  });

  it('answers /healthz without creating a session', async () => {
    const device = (await startTestNode()).device();
    const health = await device.get('/healthz');
    expect([health.status, health.body]).toEqual([200, { ok: true, node: 'server_1', store: 'memory' }]);
    expectShopHeaders(health, 'new');
    expect(health.headers['set-cookie']).toBeUndefined();
    await device.get('/cart');
    expectShopHeaders(await device.get('/healthz'), 'existing');
  });

  it('says lost when a validly signed cookie names a session the store no longer has', async () => {
    const dir = await testTempDir('lost');
    const device = (await startTestNode({ SESSION_STORE: 'file', SESSION_FILE_DIR: dir })).device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const before = device.cookie('lab_sid');
    for (const file of await readdir(dir)) await rm(join(dir, file), { recursive: true });

    const after = await device.get('/cart');
    expectShopHeaders(after, 'lost');
    expect(after.body).toEqual({ node: 'server_1', items: [] });
    expect(device.cookie('lab_sid')).not.toBe(before);
    expectShopHeaders(await device.get('/cart'), 'existing');
  });

  it('accepts cookies signed by an older secret while the first one signs (rotation)', async () => {
    const old = await startTestNode({ SESSION_SECRET: 'old', SESSION_STORE: 'file', SESSION_FILE_DIR: await testTempDir('rot') });
    const device = old.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const rotated = await startTestNode({ SESSION_SECRET: 'new,old', SESSION_STORE: 'file', SESSION_FILE_DIR: old.config.sessionFileDir });
    const onRotated = rotated.device();
    onRotated.setCookie('lab_sid', device.cookie('lab_sid'));
    const answer = await onRotated.get('/cart');
    expect([answer.sessionState, answer.body]).toEqual(['existing', { node: 'server_1', items: [{ sku: 'apple', qty: 1 }] }]);
  });

  it('sends a cookie that came signed with an older secret again, signed with the first (rotation)', async () => {
    const old = await startTestNode({ SESSION_SECRET: 'old', SESSION_STORE: 'file', SESSION_FILE_DIR: await testTempDir('resign') });
    const device = old.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    const rotated = await startTestNode({ SESSION_SECRET: 'new,old', SESSION_STORE: 'file', SESSION_FILE_DIR: old.config.sessionFileDir });
    const onRotated = rotated.device();
    onRotated.setCookie('lab_sid', device.cookie('lab_sid'));
    await onRotated.get('/cart');
    const sessionId = decodeURIComponent(device.cookie('lab_sid')!).slice(2).split('.')[0]!;
    expect(decodeURIComponent(onRotated.cookie('lab_sid')!)).toBe(`s:${sign(sessionId, 'new')}`);
  });

  it('marks the cookie Secure behind a trusted TLS proxy', async () => {
    const trusted = (await startTestNode({ COOKIE_SECURE: 'true', TRUST_PROXY: 'loopback' })).device();
    const secure = await trusted.send('GET', '/cart', undefined, { 'x-forwarded-proto': 'https' });
    expect(setCookieOf(secure)).toMatch(/; Secure/);
  });

  it('sets no cookie with COOKIE_SECURE when the TLS proxy is not trusted', async () => {
    const untrusted = (await startTestNode({ COOKIE_SECURE: 'true' })).device();
    const none = await untrusted.send('GET', '/cart', undefined, { 'x-forwarded-proto': 'https' });
    expect([none.status, none.headers['set-cookie']]).toEqual([200, undefined]);
  });

  it('logs one line per request with the node, the state and a hash of the session id, never the id', async () => {
    const node = await startTestNode();
    const device = node.device();
    const answer = await device.get('/session');
    const { sessionID } = answer.body as { sessionID: string };
    const line = node.logs.find((l) => l.includes('GET /session'));
    expect(line).toMatch(/^server_1 GET \/session 200 new sid=[0-9a-f]{8} store=memory \d+\.\dms$/);
    expect(node.logs.join('\n')).not.toContain(sessionID);
  });
});

describe('bad input', () => {
  async function raw(url: string, method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
    const response = await request(url + path, { method: method as 'POST', body, headers });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
  }

  it.each([
    ['malformed JSON', '{"sku": "apple", ', 400, 'bad_json', undefined],
    ['a JSON array', '[1,2]', 400, 'invalid_field', 'body'],
    ['a JSON string', '"apple"', 400, 'bad_json', undefined],
    ['no sku', '{"qty": 1}', 400, 'invalid_field', 'sku'],
    ['a sku with spaces', '{"sku": "two words", "qty": 1}', 400, 'invalid_field', 'sku'],
    ['a sku too long', JSON.stringify({ sku: 'a'.repeat(33), qty: 1 }), 400, 'invalid_field', 'sku'],
    ['a sku that is a number', '{"sku": 42, "qty": 1}', 400, 'invalid_field', 'sku'],
    ['no qty', '{"sku": "apple"}', 400, 'invalid_field', 'qty'],
    ['qty zero', '{"sku": "apple", "qty": 0}', 400, 'invalid_field', 'qty'],
    ['qty negative', '{"sku": "apple", "qty": -2}', 400, 'invalid_field', 'qty'],
    ['qty fractional', '{"sku": "apple", "qty": 1.5}', 400, 'invalid_field', 'qty'],
    ['qty as a string', '{"sku": "apple", "qty": "2"}', 400, 'invalid_field', 'qty'],
    ['qty too large', '{"sku": "apple", "qty": 1000}', 400, 'invalid_field', 'qty'],
    ['a body over the limit', JSON.stringify({ sku: 'apple', qty: 1, pad: 'x'.repeat(20_000) }), 413, 'body_too_large', undefined],
  ])('POST /cart/items with %s is refused with a catalog error', async (_what, body, status, error, field) => {
    const node = await startTestNode();
    const answer = await raw(node.url, 'POST', '/cart/items', body, { 'content-type': 'application/json' });
    expect(answer.status).toBe(status);
    expect(answer.json.error).toBe(error);
    expect(answer.json.field).toBe(field);
    expect(answer.json.message).toEqual(expect.any(String));
    if (field) expect(answer.json.message).toContain(field === 'body' ? 'JSON object' : field);
    expect(answer.headers['x-served-by']).toBe('server_1');
    expect(answer.headers['x-session-state']).toBe('new');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const node = await startTestNode();
    const answer = await raw(node.url, 'POST', '/cart/items', 'sku=apple&qty=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([answer.status, answer.json.error]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses an invalid sku in the path', async () => {
    const node = await startTestNode();
    const answer = await raw(node.url, 'DELETE', '/cart/items/not%20a%20sku', undefined);
    expect([answer.status, answer.json.field]).toEqual([400, 'sku']);
  });

  it('refuses a path with a malformed percent-encoding with 400', async () => {
    const node = await startTestNode();
    const answer = await raw(node.url, 'DELETE', '/cart/items/%', undefined);
    expect([answer.status, answer.json.error]).toEqual([400, 'bad_path']);
  });

  it('answers a path that does not begin with "/" once parsed with 404, not as a store failure', async () => {
    const node = await startTestNode();
    // Sent as is (a URL-parsing client would drop the fragment): parsed, `//..%#@%` has the
    // path "%", outside the session cookie's path.
    const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(node.url);
      const client = httpRequest({ host: hostname, port, method: 'GET', path: '//..%#@%', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      client.on('error', reject);
      client.end();
    });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ error: 'not_found', message: 'no route for GET %' });
  });

  it('answers an unknown route with 404 JSON', async () => {
    const node = await startTestNode();
    const answer = await raw(node.url, 'PUT', '/nothing/here', undefined);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: 'not_found', message: 'no route for PUT /nothing/here' });
  });

  it.each([
    ['a tampered signature', (valid: string) => valid.slice(0, -3) + (valid.endsWith('AAA') ? 'BBB' : 'AAA')],
    ['an unsigned id', (valid: string) => encodeURIComponent(decodeURIComponent(valid).split('.')[0]!)],
    ['garbage', () => '%%%;;=='],
    ['a huge value', () => 'x'.repeat(6000)],
  ])('treats a cookie with %s as a lost session: a fresh one, no error', async (_what, corrupt) => {
    const node = await startTestNode();
    const device = node.device();
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    device.setCookie('lab_sid', corrupt(device.cookie('lab_sid')!));
    const answer = await device.get('/cart');
    expect([answer.status, answer.sessionState, answer.body]).toEqual([200, 'lost', { node: 'server_1', items: [] }]);
  });

  it('survives all of it: no 500, no unexpected error in the log', async () => {
    const node = await startTestNode();
    const bodies = ['{', '[]', 'null', '{"sku":{},"qty":[]}', '{"sku":"__proto__","qty":1}', '{"__proto__":{"sku":"x"},"qty":1}'];
    for (const body of bodies) {
      const answer = await raw(node.url, 'POST', '/cart/items', body, { 'content-type': 'application/json' });
      expect(answer.status, body).toBeLessThan(500);
    }
    const latin1 = await raw(node.url, 'POST', '/cart/items', '{}', { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect((await node.device().get('/healthz')).status).toBe(200);
    expect(node.logs.join('\n')).not.toContain('unexpected error');
  });
});

describe('GET /debug/memory', () => {
  it('reports the heap and the sessions a memory store holds, without creating one', async () => {
    const node = await startTestNode();
    const device = node.device();
    for (let i = 0; i < 3; i++) await node.device(`visitor-${i}`).get('/cart');
    const answer = await device.get('/debug/memory');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ node: 'server_1', store: 'memory', sessionsHeld: 3 });
    expect((answer.body as { heapUsedBytes: number }).heapUsedBytes).toBeGreaterThan(1_000_000);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });
});

describe('GET /debug/sessions', () => {
  it('counts the sessions the node’s store holds, without creating one', async () => {
    const node = await startTestNode();
    for (let i = 0; i < 3; i++) await node.device(`visitor-${i}`).get('/cart');
    const answer = await node.device().get('/debug/sessions');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ node: 'server_1', store: 'memory', sessions: 3 });
    expect(answer.headers['set-cookie']).toBeUndefined();
  });
});

describe('Post/Redirect/Get', () => {
  it('answers an add with ?then=cart with 303 See Other to /cart, and the cart shows the add', async () => {
    const device = (await startTestNode()).device();
    const added = await device.send('POST', '/cart/items?then=cart', { sku: 'apple', qty: 2 });
    expect([added.status, added.headers.location]).toEqual([303, '/cart']);
    expect((await device.get('/cart')).body).toMatchObject({ items: [{ sku: 'apple', qty: 2 }] });
  });

  it('refuses any other then with 400 naming the field', async () => {
    const answer = await (await startTestNode()).device().send('POST', '/cart/items?then=https://evil.example', { sku: 'apple', qty: 1 });
    expect([answer.status, answer.body]).toEqual([400, expect.objectContaining({ field: 'then' })]);
  });

  it('with SESSION_SAVE_BEFORE_ANSWER=false and the cart in the session, saves the change as the answer ends', async () => {
    const node = await startTestNode({ CART_MODE: 'session', SESSION_SAVE_BEFORE_ANSWER: 'false' });
    const device = node.device();
    expect((await device.post('/cart/items', { sku: 'apple', qty: 1 })).status).toBe(200);
    expect((await device.post('/cart/items', { sku: 'tea', qty: 1 })).body).toMatchObject({ items: [{ sku: 'apple', qty: 1 }, { sku: 'tea', qty: 1 }] });
    const view = await device.get('/cart');
    expectShopHeaders(view, 'existing');
    expect(view.body).toMatchObject({ items: [{ sku: 'apple', qty: 1 }, { sku: 'tea', qty: 1 }] });
  });
});

describe('with SESSION_SAVE_UNINITIALIZED=false', () => {
  const sessionsHeld = async (node: Awaited<ReturnType<typeof startTestNode>>) => ((await node.device('count').get('/debug/sessions')).body as { sessions: number }).sessions;

  it('stores no session and sets no cookie for requests that put nothing in it', async () => {
    const node = await startTestNode({ SESSION_SAVE_UNINITIALIZED: 'false' });
    for (const path of ['/', '/cart', '/session']) {
      const answer = await node.device(`probe ${path}`).get(path);
      expect([answer.status, answer.sessionState, answer.headers['set-cookie']]).toEqual([200, 'new', undefined]);
    }
    expect(await sessionsHeld(node)).toBe(0);
  });

  it('stores the session at the first cart change, and the cart is there on the next request', async () => {
    const node = await startTestNode({ SESSION_SAVE_UNINITIALIZED: 'false' });
    const device = node.device();
    const added = await device.post('/cart/items', { sku: 'apple', qty: 2 });
    expect(setCookieOf(added)).toMatch(/^lab_sid=/);
    const next = await device.get('/cart');
    expectShopHeaders(next, 'existing');
    expect(next.body).toMatchObject({ items: [{ sku: 'apple', qty: 2 }] });
    expect(await sessionsHeld(node)).toBe(1);
  });
});

describe('security headers', () => {
  it('sends a CSP with a fresh nonce per response, nosniff, no framing, no referrer, and no HSTS over http', async () => {
    const node = await startTestNode();
    const [first, second] = [await node.device().get('/'), await node.device().get('/')];
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).not.toBe(String(second.headers['content-security-policy']));
    expect(first.text).toContain(`<script nonce="${/'nonce-([^']+)'/.exec(csp)![1]}">`);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(first.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends every JSON answer the same headers, with a policy that allows no script or style at all', async () => {
    const node = await startTestNode();
    const [first, second] = [await node.device().get('/cart'), await node.device().get('/healthz')];
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("style-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(second.headers['content-security-policy']).toBe(csp);
    for (const [name, value] of Object.entries({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'SAMEORIGIN', 'cross-origin-opener-policy': 'same-origin' })) {
      expect(first.headers[name]).toBe(value);
    }
  });

  it('sends HSTS only when the request came over TLS (here through a trusted proxy)', async () => {
    const node = await startTestNode({ TRUST_PROXY: '1' });
    const answer = await node.device().send('GET', '/healthz', undefined, { 'x-forwarded-proto': 'https' });
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
