// Property-based fuzzing of the node's whole HTTP surface with fast-check: hostile methods,
// paths, percent-encodings, cookies (forged, oversized, badly signed), Authorization headers,
// content types and bodies, with the store up. No answer may be a 5xx, and the node must still
// answer /healthz afterwards. A failing case is shrunk by fast-check and printed as the request;
// FUZZ_SEED=<seed> replays a run.
import { request as httpRequest } from 'node:http';
import { sign } from 'cookie-signature';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { startTestNode, testSecret } from '../support/test-node.ts';

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const routes = ['/', '/healthz', '/debug/memory', '/debug/sessions', '/session', '/cart', '/cart/items', '/cart/items/apple', '/signup', '/login', '/logout', '/logout-all', '/me', '/me/sessions', '/me/sessions/1', '/favicon.ico'];

// What Node's HTTP client lets through in a path: printable ASCII without space.
const pathChar = fc.constantFrom(...'abcXYZ019-_.~!$&\'()*+,;=:@/?%'.split(''));
const percentEncoding = fc.constantFrom('%', '%2', '%zz', '%00', '%2F', '%2e%2e', '%C0%AF', '%E0%A4%A', '%FF', '%F0%9F%98%80', '%25', '%u0041');
const pathSuffix = fc.array(fc.oneof(pathChar, percentEncoding, fc.constantFrom('/..', '//', '/%', '/apple', '?sku=%', '#')), { maxLength: 12 }).map((parts) => parts.join(''));
const path = fc.tuple(fc.constantFrom(...routes), pathSuffix).map(([route, suffix]) => route + suffix);

const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.stringMatching(/^[A-Z]{1,8}$/));

// Header values Node's client accepts: visible ASCII and spaces.
const headerText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.=;:,/+%"\'{}[]'.split('')), maxLength });
const sessionId = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-_'.split('')), minLength: 1, maxLength: 40 });

const labSid = fc.oneof(
  sessionId.map((id) => `s:${id}.${sign(id, testSecret).split('.')[1]}`), // validly signed, unknown to the store
  sessionId.map((id) => `s:${id}.${sign(id, 'another secret').split('.')[1]}`), // forged with another secret
  fc.tuple(sessionId, headerText(60)).map(([id, sig]) => `s:${id}.${sig}`), // malformed signature
  headerText(80),
  fc.integer({ min: 4000, max: 12000 }).map((n) => `s:${'a'.repeat(n)}`), // oversized
);
const cookie = fc.oneof(
  labSid.map((value) => `lab_sid=${value}`),
  labSid.map((value) => `lab_sid=${encodeURIComponent(value)}`),
  fc.tuple(labSid, headerText(50)).map(([value, token]) => `lab_sid=${value}; lab_token=${token}`),
  headerText(100),
);
const authorization = fc.oneof(headerText(60).map((t) => `Bearer ${t}`), fc.constant('Bearer'), fc.constant('Basic YWRhOnB3'), headerText(60));
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', '');

const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.record({ sku: fc.oneof(fc.string(), fc.json()), qty: fc.oneof(fc.integer(), fc.double(), fc.string()) }).map((o) => JSON.stringify(o)),
  fc.record({ username: fc.string({ maxLength: 80 }), password: fc.string({ maxLength: 80 }), device: fc.string({ maxLength: 80 }) }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 16 * 1024, max: 40 * 1024 }).map((n) => JSON.stringify({ sku: 'a'.repeat(n) })),
  fc.constant('{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'),
);

const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record(
  {
    method,
    path,
    cookie,
    authorization,
    contentType,
    body,
  },
  { requiredKeys: ['method', 'path'] },
).map(({ method, path, cookie, authorization, contentType, body }) => {
  const headers: Record<string, string> = {};
  if (cookie !== undefined) headers.cookie = cookie;
  if (authorization !== undefined) headers.authorization = authorization;
  if (contentType) headers['content-type'] = contentType;
  return { method, path, headers, body };
});

/**
 * One request on a connection of its own (no keep-alive: a node may close a connection after
 * refusing an unread body, and a reused socket would then fail on the client's side), with the
 * path exactly as generated; resolves with the status.
 */
function send(baseUrl: string, req: HostileRequest): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const client = httpRequest({ host: hostname, port, method: req.method, path: req.path, headers: req.headers, timeout: 5000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    client.on('timeout', () => client.destroy(new Error(`no answer within 5 s to ${req.method} ${req.path}`)));
    client.on('error', reject);
    client.end(req.body);
  });
}

async function fuzz(env: Record<string, string>, numRuns: number): Promise<void> {
  const node = await startTestNode(env);
  await fc.assert(
    fc.asyncProperty(hostileRequest, async (req) => {
      const status = await send(node.url, req);
      expect(status, `${req.method} ${req.path}`).toBeLessThan(500);
    }),
    { numRuns, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  expect(await send(node.url, { method: 'GET', path: '/healthz', headers: {}, body: undefined })).toBe(200);
  expect(node.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
}

describe('the HTTP surface under hostile input', () => {
  it('never answers 5xx with the memory store, and stays healthy', async () => {
    await fuzz({}, 1000);
  });

  it('never answers 5xx with the cookie store (the session sealed in the cookie), and stays healthy', async () => {
    await fuzz({ SESSION_STORE: 'cookie' }, 500);
  });

  it('never answers 5xx with the PostgreSQL store and login on, and stays healthy', async () => {
    await fuzz({ SESSION_STORE: 'postgres', DATABASE_URL: inject('databaseUrl') }, 1000);
  }, 120_000);
});
