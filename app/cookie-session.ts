// SESSION_STORE=cookie: the fourth strategy, no server state. The whole session (an id, for logs
// and the session state, and the cart) travels in the lab_sid cookie, sealed with iron
// (iron-session's sealData: AES-256-CBC for secrecy, HMAC-SHA-256 for integrity, an expiry inside
// the seal). Any node holding one of SESSION_SECRET's secrets can open it; no node needs to have
// seen it. It offers what the shop's routes use of express-session (req.session with save and
// regenerate, req.sessionID), so the routes are the same for every store.
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseCookies, serialize } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { sealData, unsealData } from 'iron-session';
import type { Config } from './config.ts';
import { maxCartLines, sessionCookieName, type CartLine } from './contract.ts';
import { HttpError } from './errors.ts';

/** What browsers keep of one cookie; a larger Set-Cookie is silently dropped. */
export const browserCookieLimitBytes = 4096;

/** The cookie id of a session cookie that came but could not be read (tampered, expired, another secret): its session is lost. */
export const rejectedCookie = '(rejected)';

export interface SealedSession {
  id: string;
  cart?: CartLine[];
}

type Callback = (err?: unknown) => void;

/**
 * A secret's password id in a seal: derived from the secret itself, not from its place in
 * SESSION_SECRET, so that a seal made under "new,old" still opens under "new" alone.
 */
function passwordId(secret: string): string {
  return String(Number.parseInt(createHash('sha256').update(`id:${secret}`).digest('hex').slice(0, 8), 16));
}

/** Iron wants passwords of 32 characters or more: each secret is stretched by SHA-256. Every secret opens. */
function passwordsOf(secrets: readonly string[]): Record<string, string> {
  return Object.fromEntries(secrets.map((secret) => [passwordId(secret), createHash('sha256').update(secret).digest('hex')]));
}

/** The first secret alone seals (iron seals with the highest id of the map it is given). */
function sealingPasswordOf(secrets: readonly string[]): Record<string, string> {
  return passwordsOf(secrets.slice(0, 1));
}

/**
 * The Set-Cookie line that carries the sealed session, refused (400) when it is larger than a
 * browser keeps, measured as RFC 6265 counts a cookie: name, value and attributes.
 */
export async function sessionCookieLine(config: Readonly<Config>, secure: boolean, session: SealedSession, sealingPassword = sealingPasswordOf(config.sessionSecrets)): Promise<string> {
  const sealed = await sealData(session, { password: sealingPassword, ttl: config.sessionTtlSeconds });
  const line = serialize(sessionCookieName, sealed, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: config.sessionTtlSeconds,
    expires: new Date(Date.now() + config.sessionTtlSeconds * 1000),
  });
  if (line.length > browserCookieLimitBytes) {
    const lines = session.cart?.length ?? 0;
    throw new HttpError('invalid_field', `this change would make the session cookie ${line.length} bytes (${lines} cart lines of at most ${maxCartLines}); a browser drops a cookie over ${browserCookieLimitBytes}`, 'sku');
  }
  return line;
}

class CookieSession {
  cart?: CartLine[];
  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly config: Readonly<Config>,
    private readonly sealingPassword: Record<string, string>,
    private readonly writable: boolean,
    private id: string,
  ) {}

  get sessionId(): string {
    return this.id;
  }

  /** Seals the session into the answer's cookie; refuses (400) a cookie a browser would drop. */
  save(callback: Callback): this {
    void this.seal().then(() => callback(), callback);
    return this;
  }

  /** A new id and nothing in it (login, ending a session): the old cookie's contents are not carried over. */
  regenerate(callback: Callback): this {
    this.id = newSessionId();
    delete this.cart;
    this.req.sessionID = this.id;
    callback();
    return this;
  }

  /** Sealed again on a read: the session's expiry moves (lazy touch, see sealExpiresMs). */
  extend(): Promise<void> {
    return this.seal();
  }

  private async seal(): Promise<void> {
    if (!this.writable) return;
    const secure = this.config.cookieSecure === 'auto' ? this.req.secure : this.config.cookieSecure;
    const line = await sessionCookieLine(this.config, secure, { id: this.id, ...(this.cart ? { cart: this.cart } : {}) }, this.sealingPassword);
    const others = ([this.res.getHeader('set-cookie') ?? []].flat() as string[]).filter((c) => !c.startsWith(`${sessionCookieName}=`));
    this.res.setHeader('set-cookie', [...others, line]);
  }
}

/**
 * When a seal was made, from the seal itself: iron writes its expiry (ms) as the sixth
 * `*`-separated field and the id of the password that sealed it as the second, both covered by
 * its HMAC; iron-session appends `~<version>`. A seal this cannot read counts as made long ago.
 */
function sealedAtMs(sealed: string, config: Readonly<Config>): number {
  const expiresMs = Number(sealed.split('~')[0]!.split('*')[5]);
  return Number.isFinite(expiresMs) ? expiresMs - config.sessionTtlSeconds * 1000 : 0;
}


function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** The middleware that stands where express-session stands for the other stores; probes never write a cookie. */
export function cookieSession(config: Readonly<Config>, forProbes: boolean): RequestHandler {
  const passwords = passwordsOf(config.sessionSecrets);
  const sealingPassword = sealingPasswordOf(config.sessionSecrets);
  // With one secret every seal that opens was made with it; with more, one made with an older
  // secret is sealed again at once (a rotation). The id is worked out once, not per request.
  const firstId = config.sessionSecrets.length > 1 ? passwordId(config.sessionSecrets[0]!) : undefined;
  const sealedWithOlderSecret = (sealed: string) => firstId !== undefined && sealed.split('*')[1] !== firstId;
  return (req, res, next) => {
    void (async () => {
      let raw: string | undefined;
      try {
        raw = req.headers.cookie ? parseCookies(req.headers.cookie)[sessionCookieName] : undefined;
      } catch {
        raw = undefined;
      }
      let opened: SealedSession | undefined;
      if (raw) {
        // A seal that does not open (another secret, tampered, expired, garbage) is no session.
        const data = (await unsealData<SealedSession>(raw, { password: passwords, ttl: config.sessionTtlSeconds }).catch(() => ({}))) as Partial<SealedSession>;
        if (typeof data.id === 'string') opened = { id: data.id, ...(Array.isArray(data.cart) ? { cart: data.cart } : {}) };
      }
      res.locals.cookieSessionId = raw ? (opened?.id ?? rejectedCookie) : undefined;
      const session = new CookieSession(req, res, config, sealingPassword, !forProbes, opened?.id ?? newSessionId());
      if (opened?.cart) session.cart = opened.cart;
      req.session = session as unknown as Request['session'];
      req.sessionID = session.sessionId;
      // Lazy touch: a read seals the session again (a new expiry) once SESSION_TOUCH_AFTER_SECONDS
      // passed since it was last sealed, or at once when an older secret sealed it (a rotation).
      if (opened && (Date.now() - sealedAtMs(raw!, config) >= config.sessionTouchAfterSeconds * 1000 || sealedWithOlderSecret(raw!))) await session.extend();
      next();
    })().catch(next);
  };
}
