// A shop customer's device: one HTTP client (its own cookie jar, optionally its own source
// address or a bearer token) with the shop's verbs. Each verb is one recorded request.
import clusterKeySlot from 'cluster-key-slot';
import { redisSessionPrefix, sessionCookieName, sessionTag, type CartLine } from '../../app/contract.ts';
import type { Answer, Device, DeviceOptions } from '../../runner/http-client.ts';
import type { Lab, RequestSpec } from '../../runner/lab.ts';
import { formatCart, shopActions, type ShopOp } from './actions.ts';

export interface ShopDeviceOptions extends DeviceOptions {
  /**
   * Send the login token as `Authorization: Bearer` (an app rather than a browser): unlike a
   * cookie, the token stays with the device after a 401, so every later request shows its fate.
   */
  bearer?: boolean;
}

/** The user an answer speaks for: `user` in cart answers, `user.username` in login answers. */
function userOf(body: unknown): string | undefined {
  const user = (body as { user?: unknown } | null)?.user;
  if (typeof user === 'string') return user;
  const name = (user as { username?: unknown } | null | undefined)?.username;
  return typeof name === 'string' ? name : undefined;
}

function cartOf(body: unknown): CartLine[] | undefined {
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as CartLine[]) : undefined;
}

/** The session id in a lab_sid cookie value ("s:<id>.<signature>"), signature unchecked. */
function cookieSessionId(cookieValue: string | undefined): string | undefined {
  if (!cookieValue) return undefined;
  const decoded = decodeURIComponent(cookieValue);
  if (!decoded.startsWith('s:')) return undefined;
  const signed = decoded.slice(2);
  return signed.slice(0, signed.lastIndexOf('.'));
}

/** The session tag of the id in a lab_sid cookie value, signature unchecked. */
export function cookieSessionTag(cookieValue: string | undefined): string | undefined {
  const id = cookieSessionId(cookieValue);
  return id === undefined ? undefined : sessionTag(id);
}

export class ShopDevice {
  private readonly client: Device;
  private readonly bearer: boolean;
  private bearerToken: string | undefined;

  constructor(
    private readonly lab: Lab,
    readonly name: string,
    options: ShopDeviceOptions = {},
  ) {
    const { bearer = false, ...clientOptions } = options;
    this.client = lab.client(name, clientOptions);
    this.bearer = bearer;
  }

  /** The tag of the session id the device holds right now. */
  get sessionTag(): string | undefined {
    return cookieSessionTag(this.client.cookie(sessionCookieName));
  }

  /** The lab_sid cookie this device sends. */
  get sessionCookie(): string | undefined {
    return this.client.cookie(sessionCookieName);
  }

  private async perform(spec: RequestSpec): Promise<ShopOp> {
    const { op } = await this.lab.send<ShopOp>(this.client, this.withToken(spec), this.observe);
    return op;
  }

  private withToken(spec: RequestSpec): RequestSpec {
    return this.bearerToken ? { ...spec, headers: { authorization: `Bearer ${this.bearerToken}` } } : spec;
  }

  /** What a shop answer shows, as the op's fields. */
  private readonly observe = (answer: Answer | undefined): Partial<ShopOp> => {
    const token = (answer?.body as { token?: unknown } | null)?.token;
    if (this.bearer && typeof token === 'string') this.bearerToken = token;
    const cart = cartOf(answer?.body);
    const user = userOf(answer?.body);
    const seen = [user ? `user ${user}` : '', formatCart(cart)].filter(Boolean).join(' → ');
    const setCookie = [answer?.headers['set-cookie'] ?? []].flat().find((line) => line.startsWith(`${sessionCookieName}=`));
    const expires = /;\s*expires=([^;]+)/i.exec(setCookie ?? '')?.[1];
    const upstreamTries = String(answer?.headers['x-upstream'] ?? '').split(',').filter((s) => s.trim()).length;
    return {
      session: this.sessionTag,
      ...(cart ? { cart } : {}),
      ...(user ? { user } : {}),
      ...(seen ? { seen } : {}),
      ...(setCookie ? { cookieBytes: setCookie.length } : {}),
      ...(expires ? { cookieExpiresInSeconds: Math.round((Date.parse(expires) - Date.now()) / 1000) } : {}),
      ...(upstreamTries > 1 ? { upstreamTries } : {}),
    };
  };

  viewCart(): Promise<ShopOp> {
    return this.perform({ action: shopActions.viewCart, method: 'GET', path: '/cart' });
  }

  add(sku: string, qty = 1): Promise<ShopOp> {
    return this.perform({ action: shopActions.addItem, method: 'POST', path: '/cart/items', body: { sku, qty }, detail: `${sku}×${qty}`, args: { sku, qty } });
  }

  /**
   * Sends every add at once, each on a connection of its own with this device's one cookie, as a
   * browser does with parallel requests or a double click; burst names the group for the checker.
   */
  addAtOnce(adds: readonly { sku: string; qty: number }[], burst: string): Promise<ShopOp[]> {
    return Promise.all(
      adds.map(({ sku, qty }) =>
        this.perform({ action: shopActions.addItem, method: 'POST', path: '/cart/items', body: { sku, qty }, detail: `${sku}×${qty}`, args: { sku, qty, burst } }),
      ),
    );
  }

  /**
   * Adds as a form does (POST /cart/items?then=cart, answered 303 to /cart) and follows the
   * redirect as soon as the headers arrive, as a browser does: the second op is the cart it was
   * sent to. args.then marks the pair for the checker.
   */
  async addThenFollow(sku: string, qty = 1): Promise<[ShopOp, ShopOp | undefined]> {
    const spec: RequestSpec = { action: shopActions.addItem, method: 'POST', path: '/cart/items?then=cart', body: { sku, qty }, detail: `${sku}×${qty}`, args: { sku, qty, then: 'cart' } };
    return this.lab.sendFollowingRedirect<ShopOp>(this.client, this.withToken(spec), shopActions.viewCart, this.observe);
  }

  remove(sku: string): Promise<ShopOp> {
    return this.perform({ action: shopActions.removeItem, method: 'DELETE', path: `/cart/items/${encodeURIComponent(sku)}`, args: { sku } });
  }

  /** Any GET, e.g. /healthz with this device's cookie: the store looks the session up, none is created. */
  getPath(path: string): Promise<ShopOp> {
    return this.perform({ action: shopActions.getPath, method: 'GET', path, args: { path } });
  }

  /** GET /session: the express session id this device holds (recorded as a tag, like every op's). */
  viewSession(): Promise<ShopOp> {
    return this.perform({ action: shopActions.viewSession, method: 'GET', path: '/session' });
  }

  /** DELETE /session: ends this session (recorded as args.ended); a new, empty one takes its place. */
  endSession(): Promise<ShopOp> {
    return this.perform({ action: shopActions.endSession, method: 'DELETE', path: '/session', args: { ended: this.sessionTag } });
  }

  // The device logs in under its own name as the device label, so that another device can revoke it by name.
  signup(username: string, password: string): Promise<ShopOp> {
    return this.perform({ action: shopActions.signup, method: 'POST', path: '/signup', body: { username, password, device: this.name }, detail: username, args: { username } });
  }

  login(username: string, password: string): Promise<ShopOp> {
    return this.perform({ action: shopActions.login, method: 'POST', path: '/login', body: { username, password, device: this.name }, detail: username, args: { username } });
  }

  me(): Promise<ShopOp> {
    return this.perform({ action: shopActions.me, method: 'GET', path: '/me' });
  }

  logout(): Promise<ShopOp> {
    return this.perform({ action: shopActions.logout, method: 'POST', path: '/logout' });
  }

  logoutAll(): Promise<ShopOp> {
    return this.perform({ action: shopActions.logoutAll, method: 'POST', path: '/logout-all', keepBody: true });
  }

  /** Revokes, from this device, the session of the device logged in under that name. */
  async revokeDevice(deviceName: string): Promise<ShopOp> {
    const listed = await this.perform({ action: shopActions.listSessions, method: 'GET', path: '/me/sessions', keepBody: true });
    const sessions = (listed.value as { sessions?: { id: string; device: string }[] } | undefined)?.sessions ?? [];
    const target = sessions.find((s) => s.device === deviceName);
    if (!target) throw new Error(`${this.name} sees no session of a device named ${deviceName}`);
    return this.perform({ action: shopActions.revoke, method: 'DELETE', path: `/me/sessions/${target.id}`, args: { device: deviceName, sessionId: target.id } });
  }

  /**
   * Makes this device send the lab_sid cookie another device holds (a stolen or planted id),
   * recorded so that a checker knows who holds whose session.
   */
  adoptCookieOf(other: ShopDevice): ShopOp {
    this.client.setCookie(sessionCookieName, other.sessionCookie);
    const at = this.lab.history.now();
    return this.lab.record<ShopOp>({ process: this.name, action: shopActions.adoptCookie, args: { from: other.name }, type: 'ok', startedMs: at, endedMs: at, request: `adopt ${other.name}'s ${sessionCookieName} cookie`, session: this.sessionTag });
  }

  /**
   * Records which Redis Cluster slot the session this device holds sits in: its key (the store's
   * prefix, then the id from the device's own cookie) hashed as Redis hashes it. Not a request.
   */
  recordSessionSlot(): ShopOp {
    const id = cookieSessionId(this.sessionCookie);
    if (id === undefined) throw new Error(`${this.name} holds no session to place in a slot`);
    const at = this.lab.history.now();
    const slot = clusterKeySlot(redisSessionPrefix + id);
    return this.lab.record<ShopOp>({ process: this.name, action: shopActions.sessionSlot, args: { slot }, type: 'ok', startedMs: at, endedMs: at, request: `its session's cluster slot: ${slot}`, session: this.sessionTag });
  }

  /** Sends this lab_sid cookie value from now on (one kept from an earlier visit), or none. */
  useSessionCookie(value: string | undefined): void {
    this.client.setCookie(sessionCookieName, value);
  }
}

/** A shop device of this lab. */
export function shopDevice(lab: Lab, name: string, options: ShopDeviceOptions = {}): ShopDevice {
  return new ShopDevice(lab, name, options);
}
