import type { IRouter, Request, Response } from 'express';
import type { UserSession } from '../auth/auth-store.ts';
import { UsernameTakenError } from '../auth/auth-store.ts';
import { clearTokenCookie, requireSession } from '../auth/authenticate.ts';
import { failureWindowSeconds, type Auth } from '../auth/index.ts';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { newToken, tokenHash } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import { regenerateSession, saveSession } from '../session.ts';
import { tokenCookieName } from '../contract.ts';
import { jsonBody } from './cart.ts';
import type { RequestCart } from '../carts/request-cart.ts';

/** Failed logins allowed per minute for one username from one address, and for one address overall. */
export const maxFailuresPerUsernameAndAddress = 5;
export const maxFailuresPerAddress = 30;

const loginPaths = ['/signup', '/login', '/logout', '/logout-all', '/me', '/me/sessions', '/me/sessions/:id'];

// Any printable text: a username that looks like SQL is just a string to a parameterised query.
function parseUsername(value: unknown): string {
  if (typeof value !== 'string') throw new HttpError('invalid_field', 'username must be a string', 'username');
  const username = value.normalize('NFC').trim();
  if (username.length < 1 || username.length > 64 || /\p{Cc}/u.test(username)) {
    throw new HttpError('invalid_field', 'username must be 1 to 64 printable characters', 'username');
  }
  return username;
}

function parsePassword(value: unknown, forSignup: boolean): string {
  if (typeof value !== 'string') throw new HttpError('invalid_field', 'password must be a string', 'password');
  if (value.length > 256) throw new HttpError('invalid_field', 'password must be at most 256 characters', 'password');
  if (forSignup && value.length < 8) throw new HttpError('invalid_field', 'password must be at least 8 characters', 'password');
  return value;
}

function parseDevice(req: Request, body: Record<string, unknown>): string {
  if (body.device !== undefined) {
    if (typeof body.device !== 'string' || body.device.length > 64) throw new HttpError('invalid_field', 'device must be a label of at most 64 characters', 'device');
    return body.device;
  }
  return (req.headers['user-agent'] ?? '').slice(0, 200);
}

function sessionView(session: UserSession, current: UserSession | undefined) {
  return {
    id: session.id,
    device: session.device,
    createdWith: session.createdWith,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    current: session.id === current?.id,
  };
}

/** Sign-up, login, logout and the user's devices; 404 with a reason when the node has no DATABASE_URL. */
export function authRoutes(router: IRouter, config: Readonly<Config>, cartOf: (req: Request) => RequestCart, auth: Auth | undefined): void {
  if (!auth) {
    router.all(loginPaths, () => {
      throw new HttpError('login_unavailable');
    });
    return;
  }
  const { store } = auth;

  /**
   * Logs this device in: a new express session id (a session id fixed before login is worth
   * nothing after it), a token row for the device, the anonymous cart folded into the user's.
   */
  const startUserSession = async (req: Request, res: Response, user: { id: string; username: string }, createdWith: 'signup' | 'login', device: string) => {
    // The anonymous cart is folded in before the session id changes: regenerating destroys the old
    // session and its cart, so a failure before that point loses nothing.
    const token = newToken();
    const session = await store.createSession(user.id, tokenHash(token), auth.ttlSeconds, device, createdWith);
    if (config.loginCart === 'merge') await store.mergeCart(user.id, await cartOf(req).view());
    await regenerateSession(req);
    await saveSession(req);
    const secure = config.cookieSecure === 'auto' ? req.secure : config.cookieSecure;
    res.cookie(tokenCookieName, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: auth.ttlSeconds * 1000 });
    return { user: { id: user.id, username: user.username }, token, session: sessionView(session, session) };
  };

  router.post('/signup', async (req, res) => {
    const body = jsonBody(req);
    const username = parseUsername(body.username);
    const password = parsePassword(body.password, true);
    const device = parseDevice(req, body);
    let user;
    try {
      user = await store.createUser(username, await hashPassword(password));
    } catch (err) {
      if (err instanceof UsernameTakenError) throw new HttpError('username_taken');
      throw err;
    }
    res.status(201).json(await startUserSession(req, res, user, 'signup', device));
  });

  router.post('/login', async (req, res) => {
    const body = jsonBody(req);
    const username = parseUsername(body.username);
    const password = parsePassword(body.password, false);
    const device = parseDevice(req, body);
    const address = req.ip ?? 'unknown';
    const failures = await store.recentFailures(username, address, failureWindowSeconds);
    if (failures.pair >= maxFailuresPerUsernameAndAddress || failures.address >= maxFailuresPerAddress) {
      res.setHeader('Retry-After', String(failureWindowSeconds));
      throw new HttpError('too_many_attempts');
    }
    const user = await store.findUser(username);
    // An unknown user costs the same scrypt as a wrong password: the answer and its timing say nothing about who exists.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid) {
      await store.recordFailure(username, address);
      throw new HttpError('invalid_credentials');
    }
    await store.clearFailures(username, address);
    res.json(await startUserSession(req, res, user, 'login', device));
  });

  router.post('/logout', async (_req, res) => {
    const session = requireSession(res);
    await store.revokeSession(session.userId, session.id);
    clearTokenCookie(res);
    res.json({ ok: true, revoked: 1 });
  });

  router.post('/logout-all', async (_req, res) => {
    const session = requireSession(res);
    const revoked = await store.revokeAllSessions(session.userId);
    clearTokenCookie(res);
    res.json({ ok: true, revoked });
  });

  router.get('/me', (_req, res) => {
    const session = requireSession(res);
    res.json({ node: config.nodeName, user: { id: session.userId, username: session.username }, session: sessionView(session, session) });
  });

  router.get('/me/sessions', async (_req, res) => {
    const current = requireSession(res);
    const sessions = await store.activeSessions(current.userId);
    res.json({ node: config.nodeName, sessions: sessions.map((s) => sessionView(s, current)) });
  });

  router.delete('/me/sessions/:id', async (req, res) => {
    const current = requireSession(res);
    const id = String(req.params.id);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new HttpError('invalid_field', 'id must be a session id from GET /me/sessions', 'id');
    // Another user's session is as unknown as a missing one.
    if (!(await store.revokeSession(current.userId, id))) throw new HttpError('not_found', 'no such active session of yours');
    if (id === current.id) clearTokenCookie(res);
    res.json({ ok: true, revoked: 1 });
  });
}
