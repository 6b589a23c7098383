// Login with DB-backed session tokens, against a real PostgreSQL: one user, many devices, every
// node, revocable everywhere; and what an attacker would try.
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { maxCartLines } from '../../app/contract.ts';
import { Device, type Answer } from '../../runner/http-client.ts';
import { testTempDir } from '../support/test-temp-dir.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';

const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
afterAll(() => db.end());

const password = 'correct horse battery';
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function loginNode(env: Record<string, string> = {}): Promise<TestNode> {
  return startTestNode({ DATABASE_URL: inject('databaseUrl'), ...env });
}

/** Two nodes with per-node file stores (anonymous carts get lost between them) sharing the login database. */
async function twoNodes(env: Record<string, string> = {}): Promise<[TestNode, TestNode]> {
  const node = async (name: string) => loginNode({ NODE_NAME: name, SESSION_STORE: 'file', SESSION_FILE_DIR: await testTempDir(name), ...env });
  return [await node('server_1'), await node('server_2')];
}

async function signup(device: Device, username: string, label = device.name): Promise<Answer> {
  const answer = await device.post('/signup', { username, password, device: label });
  expect(answer.status, answer.text).toBe(201);
  return answer;
}

async function login(device: Device, username: string, label = device.name): Promise<Answer> {
  const answer = await device.post('/login', { username, password, device: label });
  expect(answer.status, answer.text).toBe(200);
  return answer;
}

/** The same cookie jar contents on another node (a device whose next request lands elsewhere). */
function sameDeviceOn(node: TestNode, device: Device): Device {
  const moved = node.device(`${device.name}@${node.config.nodeName}`);
  for (const name of ['lab_sid', 'lab_token']) moved.setCookie(name, device.cookie(name));
  return moved;
}

describe('sign-up and login', () => {
  it('signs up with 201, logs the device in with an HttpOnly SameSite token cookie, and /me knows the user', async () => {
    const node = await loginNode();
    const phone = node.device('phone');
    const username = unique('ada');
    const answer = await signup(phone, username);
    expect(answer.body).toMatchObject({ user: { username }, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), session: { createdWith: 'signup', current: true } });
    expect([answer.headers['set-cookie']].flat().join('\n')).toMatch(/lab_token=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    const me = await phone.get('/me');
    expect([me.status, me.body]).toEqual([200, expect.objectContaining({ user: expect.objectContaining({ username }) })]);
  });

  it('accepts the token as Authorization: Bearer too', async () => {
    const node = await loginNode();
    const { token } = (await signup(node.device('phone'), unique('bearer'))).body as { token: string };
    const api = node.device('api');
    const me = await api.send('GET', '/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
  });

  it('keeps one session row per device: one user, many sessions (1:N), the current one marked', async () => {
    const node = await loginNode();
    const username = unique('grace');
    await signup(node.device('phone'), username, 'phone');
    const laptop = node.device('laptop');
    await login(laptop, username, 'laptop');
    const { sessions } = (await laptop.get('/me/sessions')).body as { sessions: { device: string; createdWith: string; current: boolean }[] };
    expect(sessions.map((s) => [s.device, s.createdWith, s.current])).toEqual([
      ['phone', 'signup', false],
      ['laptop', 'login', true],
    ]);
    const rows = await db.query('SELECT count(*)::int AS n FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1', [username]);
    expect(rows.rows[0].n).toBe(2);
  });

  it('gives the logged-in user one cart on every device and every node, even with per-node session files', async () => {
    const [first, second] = await twoNodes();
    const username = unique('linus');
    const phone = first.device('phone');
    await signup(phone, username);
    const laptop = second.device('laptop');
    await login(laptop, username);
    await phone.post('/cart/items', { sku: 'apple', qty: 1 });
    await laptop.post('/cart/items', { sku: 'tea', qty: 2 });
    const everywhere = [await phone.get('/cart'), await laptop.get('/cart'), await sameDeviceOn(second, phone).get('/cart'), await sameDeviceOn(first, laptop).get('/cart')];
    for (const answer of everywhere) expect(answer.body).toMatchObject({ user: username, items: [{ sku: 'apple', qty: 1 }, { sku: 'tea', qty: 2 }] });
    expect(everywhere.map((a) => a.servedBy)).toEqual(['server_1', 'server_2', 'server_2', 'server_1']);
  });

  it('merges the anonymous cart into the user’s at login, in the database', async () => {
    const node = await loginNode();
    const username = unique('merge');
    const phone = node.device('phone');
    await signup(phone, username);
    await phone.post('/cart/items', { sku: 'apple', qty: 1 });
    const laptop = node.device('laptop');
    await laptop.post('/cart/items', { sku: 'apple', qty: 2 });
    await laptop.post('/cart/items', { sku: 'bread', qty: 1 });
    await login(laptop, username);
    expect((await laptop.get('/cart')).body).toMatchObject({ items: [{ sku: 'apple', qty: 3 }, { sku: 'bread', qty: 1 }] });
    const rows = await db.query('SELECT sku, qty FROM cart_items c JOIN users u ON u.id = c.user_id WHERE u.username = $1 ORDER BY sku', [username]);
    expect(rows.rows).toEqual([{ sku: 'apple', qty: 3 }, { sku: 'bread', qty: 1 }]);
  });

  it('drops the anonymous cart at login with LOGIN_CART=drop: the regenerated session starts empty', async () => {
    const node = await loginNode({ LOGIN_CART: 'drop', SESSION_STORE: 'redis', REDIS_URL: inject('redisUrl') });
    const username = unique('drop');
    await signup(node.device('setup'), username);
    const laptop = node.device('laptop');
    await laptop.post('/cart/items', { sku: 'apple', qty: 2 });
    await login(laptop, username);
    expect((await laptop.get('/cart')).body).toMatchObject({ user: username, items: [] });
  });

  it('leaves out the anonymous lines past the line limit when merging at login', async () => {
    const node = await loginNode();
    const username = unique('full');
    const phone = node.device('phone');
    await signup(phone, username);
    for (let i = 0; i < maxCartLines; i++) await phone.post('/cart/items', { sku: `mine-${i}`, qty: 1 });
    const laptop = node.device('laptop');
    await laptop.post('/cart/items', { sku: 'extra', qty: 1 });
    await login(laptop, username);
    expect(((await laptop.get('/cart')).body as { items: unknown[] }).items).toHaveLength(maxCartLines);
  });

  it('holds the line limit when two devices of one user add more distinct skus at once than fit', async () => {
    const [first, second] = await twoNodes();
    const username = unique('limit');
    const phone = first.device('phone');
    await signup(phone, username);
    const laptop = second.device('laptop');
    await login(laptop, username);
    const answers = await Promise.all(Array.from({ length: maxCartLines + 10 }, (_, i) => (i % 2 ? phone : laptop).post('/cart/items', { sku: `s-${i}`, qty: 1 })));
    const acknowledged = answers.filter((a) => a.status === 200).length;
    expect([acknowledged, ((await phone.get('/cart')).body as { items: unknown[] }).items.length]).toEqual([maxCartLines, maxCartLines]);
  });

  it('counts two devices adding at the same moment both (atomic statements)', async () => {
    const [first, second] = await twoNodes();
    const username = unique('atomic');
    const phone = first.device('phone');
    await signup(phone, username);
    const laptop = second.device('laptop');
    await login(laptop, username);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? phone : laptop).post('/cart/items', { sku: 'apple', qty: 1 })));
    expect((await phone.get('/cart')).body).toMatchObject({ items: [{ sku: 'apple', qty: 10 }] });
  });

  it('gives the express session a new id at login: a session id fixed before login is worth nothing', async () => {
    const node = await loginNode();
    const username = unique('fix');
    await signup(node.device('other'), username);
    const victim = node.device('victim');
    const before = ((await victim.get('/session')).body as { sessionID: string }).sessionID;
    const attacker = node.device('attacker');
    attacker.setCookie('lab_sid', victim.cookie('lab_sid'));
    await login(victim, username);
    const after = (await victim.get('/session')).body as { sessionID: string; isNew: boolean };
    expect(after.sessionID).not.toBe(before);
    expect(after.isNew).toBe(false);
    const stolen = await attacker.get('/cart');
    expect(stolen.sessionState).toBe('lost');
    expect(stolen.body).not.toHaveProperty('user');
  });
});

describe('logout and revocation', () => {
  it('logs out one device: its token then answers 401 session revoked on every node, the other device keeps working', async () => {
    const [first, second] = await twoNodes();
    const username = unique('out');
    const phone = first.device('phone');
    const { token } = (await signup(phone, username)).body as { token: string };
    const laptop = first.device('laptop');
    await login(laptop, username);
    const loggedOut = await phone.post('/logout');
    expect(loggedOut.status).toBe(200);
    expect([loggedOut.headers['set-cookie']].flat().join()).toMatch(/lab_token=;/);
    expect(phone.cookie('lab_token')).toBeUndefined();
    for (const node of [first, second]) {
      const replay = await node.device('replay').send('GET', '/me', undefined, { authorization: `Bearer ${token}` });
      expect([replay.status, replay.servedBy, replay.body]).toEqual([401, node.config.nodeName, { error: 'session_revoked', message: 'session revoked' }]);
    }
    expect((await sameDeviceOn(second, laptop).get('/me')).status).toBe(200);
  });

  it('revokes another device from this one, immediately on every node (no cache), and logout-all revokes them all', async () => {
    const [first, second] = await twoNodes();
    const username = unique('revoke');
    const a = first.device('a');
    const { token: aToken } = (await signup(a, username, 'device A')).body as { token: string };
    const b = first.device('b');
    await login(b, username, 'device B');
    const bOnSecond = sameDeviceOn(second, b);
    expect((await bOnSecond.get('/me')).status).toBe(200);

    const { sessions } = (await a.get('/me/sessions')).body as { sessions: { id: string; device: string }[] };
    const bSession = sessions.find((s) => s.device === 'device B')!;
    expect((await a.delete(`/me/sessions/${bSession.id}`)).status).toBe(200);
    for (const device of [b, bOnSecond]) {
      const answer = await device.get('/me');
      expect([answer.status, answer.body]).toEqual([401, { error: 'session_revoked', message: 'session revoked' }]);
    }
    expect((await a.get('/me')).status).toBe(200);
    expect((await sameDeviceOn(second, a).get('/cart')).status).toBe(200);

    const c = second.device('c');
    await login(c, username, 'device C');
    const all = await a.post('/logout-all');
    expect(all.body).toEqual({ ok: true, revoked: 2 });
    expect((await c.get('/me')).body).toMatchObject({ message: 'session revoked' });
    const aReplayed = await second.device('replay').send('GET', '/me', undefined, { authorization: `Bearer ${aToken}` });
    expect(aReplayed.body).toMatchObject({ message: 'session revoked' });
  });

  it('does not let one user revoke another user’s session', async () => {
    const node = await loginNode();
    const alice = node.device('alice');
    await signup(alice, unique('alice'));
    const bob = node.device('bob');
    await signup(bob, unique('bob'));
    const bobSession = ((await bob.get('/me')).body as { session: { id: string } }).session.id;
    const attempt = await alice.delete(`/me/sessions/${bobSession}`);
    expect([attempt.status, (attempt.body as { error: string }).error]).toEqual([404, 'not_found']);
    expect((await bob.get('/me')).status).toBe(200);
  });

  it('refuses a session id that is not one with 400', async () => {
    const node = await loginNode();
    const alice = node.device('alice');
    await signup(alice, unique('alice'));
    expect((await alice.delete('/me/sessions/1%20OR%201=1')).status).toBe(400);
  });

  it('answers 401 session expired on every node once the TTL has passed, and clears the cookie', async () => {
    const [first, second] = await twoNodes({ SESSION_TOKEN_TTL_SECONDS: '1' });
    const phone = first.device('phone');
    await signup(phone, unique('expiry'));
    expect((await phone.get('/me')).status).toBe(200);
    await sleep(1200);
    const elsewhere = sameDeviceOn(second, phone);
    for (const device of [phone, elsewhere]) {
      const answer = await device.get('/cart');
      expect([answer.status, answer.body]).toEqual([401, { error: 'session_expired', message: 'session expired' }]);
    }
    // The cookie was cleared: the device is anonymous again.
    expect(phone.cookie('lab_token')).toBeUndefined();
    expect((await phone.get('/cart')).status).toBe(200);
  });

  it('extends a session on use when sliding renewal is on, and not when it is off', async () => {
    const sliding = await loginNode({ SESSION_TOKEN_TTL_SECONDS: '2', SESSION_TOKEN_SLIDING: 'true' });
    const fixed = await loginNode({ SESSION_TOKEN_TTL_SECONDS: '2' });
    const a = sliding.device('a');
    await signup(a, unique('slide'));
    const b = fixed.device('b');
    await signup(b, unique('fixed'));
    await sleep(1300);
    await Promise.all([a.get('/me'), b.get('/me')]);
    await sleep(1300);
    expect((await a.get('/me')).status).toBe(200);
    expect((await b.get('/me')).body).toMatchObject({ message: 'session expired' });
  });

  it('sweeps rows long expired; a token of a swept session is then simply unknown', async () => {
    const node = await loginNode({ SESSION_TOKEN_TTL_SECONDS: '1' });
    const { AuthStore } = await import('../../app/auth/index.ts');
    const phone = node.device('phone');
    const username = unique('sweep');
    await signup(phone, username);
    await sleep(1100);
    await new AuthStore(db).sweep(0, 60);
    const rows = await db.query('SELECT count(*)::int AS n FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1', [username]);
    expect(rows.rows[0].n).toBe(0);
    expect((await phone.get('/me')).body).toMatchObject({ message: 'unknown session token' });
  });
});

describe('what an attacker would try', () => {
  // Whether both also take the same time is a benchmark figure (npm run bench: login timing).
  it('gives a wrong password and an unknown user the same 401', async () => {
    const node = await loginNode();
    const username = unique('timing');
    await signup(node.device('owner'), username);
    const attacker = new Device('attacker', node.url, { localAddress: '127.0.0.8' });
    const wrong = await attacker.post('/login', { username, password: 'wrong password' });
    const unknown = await attacker.post('/login', { username: unique('nobody'), password: 'wrong password' });
    await attacker.close();
    expect([unknown.status, unknown.body]).toEqual([wrong.status, wrong.body]);
  });

  it('rate-limits failed logins per username and address with a clear 429, even for the right password', async () => {
    const node = await loginNode();
    const username = unique('locked');
    await signup(node.device('owner'), username);
    const attacker = new Device('attacker', node.url, { localAddress: '127.0.0.7' });
    for (let i = 0; i < 5; i++) expect((await attacker.post('/login', { username, password: `guess ${i}` })).status).toBe(401);
    const blocked = await attacker.post('/login', { username, password });
    expect([blocked.status, blocked.headers['retry-after'], blocked.body]).toEqual([429, '60', expect.objectContaining({ error: 'too_many_attempts' })]);
    // Another address is not blocked by these failures.
    const owner = new Device('owner', node.url, { localAddress: '127.0.0.9' });
    expect((await owner.post('/login', { username, password })).status).toBe(200);
    await Promise.all([attacker.close(), owner.close()]);
  });

  it('treats SQL-looking usernames as plain strings', async () => {
    const node = await loginNode();
    const username = `robert'); DROP TABLE users; -- ${randomBytes(3).toString('hex')}`;
    const device = node.device('bobby');
    await signup(device, username);
    await login(node.device('again'), username);
    expect(((await device.get('/me')).body as { user: { username: string } }).user.username).toBe(username);
    expect((await db.query("SELECT to_regclass('users') AS t")).rows[0].t).toBe('users');
  });

  it.each([
    ['an over-long username', { username: 'x'.repeat(65), password }, 'username'],
    ['an over-long password', { username: 'someone', password: 'x'.repeat(257) }, 'password'],
    ['a short password', { username: 'someone', password: 'short' }, 'password'],
    ['a username with control characters', { username: 'bad\u0000name', password }, 'username'],
    ['a username that is not a string', { username: ['a'], password }, 'username'],
  ])('refuses sign-up with %s: 400 naming the field', async (_what, body, field) => {
    const node = await loginNode();
    const answer = await node.device().post('/signup', body);
    expect([answer.status, (answer.body as { field: string }).field]).toEqual([400, field]);
  });

  it('answers a duplicate sign-up with 409', async () => {
    const node = await loginNode();
    const username = unique('twice');
    await signup(node.device('first'), username);
    const again = await node.device('second').post('/signup', { username, password });
    expect([again.status, again.body]).toEqual([409, { error: 'username_taken', message: 'that username is taken' }]);
  });

  it.each([
    ['forged', () => randomBytes(32).toString('base64url')],
    ['truncated', (real: string) => real.slice(0, 30)],
    ['padded', (real: string) => `${real}A`],
    ['empty', () => ''],
  ])('refuses a %s token with 401', async (_what, forge) => {
    const node = await loginNode();
    const device = node.device();
    const { token } = (await signup(device, unique('forge'))).body as { token: string };
    const answer = await node.device('forger').send('GET', '/me', undefined, { authorization: `Bearer ${forge(token)}` });
    expect(answer.status).toBe(401);
  });

  it('keeps no raw token in the database, only its SHA-256', async () => {
    const node = await loginNode();
    const username = unique('hash');
    const { token } = (await signup(node.device(), username)).body as { token: string };
    const { rows } = await db.query('SELECT s.* FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1', [username]);
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect((row.token_hash as Buffer).equals(createHash('sha256').update(token).digest())).toBe(true);
    const everything = JSON.stringify(row) + (row.token_hash as Buffer).toString('latin1');
    expect(everything).not.toContain(token);
    const user = await db.query('SELECT password_hash FROM users WHERE username = $1', [username]);
    expect(user.rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.rows[0].password_hash).not.toContain(password);
  });
});

describe('without DATABASE_URL', () => {
  it.each([
    ['POST', '/login'],
    ['POST', '/signup'],
    ['GET', '/me'],
    ['GET', '/me/sessions'],
  ])('answers %s %s with 404 saying login needs DATABASE_URL, and the shop works as before', async (method, path) => {
    const node = await startTestNode();
    const device = node.device();
    const answer = await device.send(method, path, method === 'POST' ? { username: 'a', password } : undefined);
    expect([answer.status, answer.body]).toEqual([404, { error: 'login_unavailable', message: 'login needs DATABASE_URL (PostgreSQL); this node runs without it' }]);
    expect((await device.post('/cart/items', { sku: 'apple', qty: 1 })).status).toBe(200);
  });
});
