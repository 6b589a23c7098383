// What a scenario's script works with: devices that record every request they make, faults
// that record themselves, and direct probes of a node. Everything lands in the history.
import { setTimeout as sleep } from 'node:timers/promises';
import { sessionTag } from '../app/log.ts';
import { sessionCookieName, type CartLine } from '../app/session.ts';
import type { RunningTopology } from './backend.ts';
import { faults, type FaultName } from './faults/index.ts';
import type { History, Op, OpType } from './history.ts';
import { Device, type Answer, type DeviceOptions } from './http-client.ts';

/** How a request's result counts: see OpType. Reads have no effect, so a failed read is a plain fail. */
export function classify(isWrite: boolean, status: number | undefined): OpType {
  if (status !== undefined && status >= 200 && status < 300) return 'ok';
  if (status !== undefined && status >= 400 && status < 500) return 'fail';
  // No answer, or a 5xx: the node (or nginx) may have applied a write before failing.
  return isWrite ? 'info' : 'fail';
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

/** The session tag of the id in a lab_sid cookie value ("s:<id>.<signature>"), signature unchecked. */
export function cookieSessionTag(cookieValue: string | undefined): string | undefined {
  if (!cookieValue) return undefined;
  const decoded = decodeURIComponent(cookieValue);
  if (!decoded.startsWith('s:')) return undefined;
  const signed = decoded.slice(2);
  return sessionTag(signed.slice(0, signed.lastIndexOf('.')));
}

export interface LabDeviceOptions extends DeviceOptions {
  /**
   * Send the login token as `Authorization: Bearer` (an app rather than a browser): unlike a
   * cookie, the token stays with the device after a 401, so every later request shows its fate.
   */
  bearer?: boolean;
}

export class LabDevice {
  private bearerToken: string | undefined;

  constructor(
    private readonly device: Device,
    private readonly history: History,
    private readonly bearer = false,
  ) {}

  get name(): string {
    return this.device.name;
  }

  /** The tag of the session id the device holds right now. */
  get sessionTag(): string | undefined {
    return cookieSessionTag(this.device.cookie(sessionCookieName));
  }

  /** Sends one request and records it; keepBody keeps a successful answer's body in the history too. */
  private async perform(action: string, method: string, path: string, body?: unknown, args?: Record<string, unknown>, keepBody = false): Promise<Op> {
    const startedMs = this.history.now();
    const isWrite = method !== 'GET';
    let answer: Answer | undefined;
    let error: string | undefined;
    try {
      answer = await this.device.send(method, path, body, this.bearerToken ? { authorization: `Bearer ${this.bearerToken}` } : {});
      const token = (answer.body as { token?: unknown } | null)?.token;
      if (this.bearer && typeof token === 'string') this.bearerToken = token;
    } catch (err) {
      error = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    }
    return this.history.record({
      process: this.device.name,
      action,
      ...(args ? { args } : {}),
      type: classify(isWrite, answer?.status),
      startedMs,
      endedMs: this.history.now(),
      status: answer?.status,
      servedBy: answer?.servedBy,
      sessionState: answer?.sessionState,
      session: this.sessionTag,
      cart: cartOf(answer?.body),
      user: userOf(answer?.body),
      ...(error ? { error } : {}),
      ...(answer && (!(answer.status >= 200 && answer.status < 300) || keepBody) ? { value: answer.body } : {}),
    });
  }

  read(): Promise<Op> {
    return this.perform('read', 'GET', '/cart');
  }

  add(sku: string, qty = 1): Promise<Op> {
    return this.perform('add', 'POST', '/cart/items', { sku, qty }, { sku, qty });
  }

  remove(sku: string): Promise<Op> {
    return this.perform('remove', 'DELETE', `/cart/items/${encodeURIComponent(sku)}`, undefined, { sku });
  }

  /** Any GET, e.g. /healthz with this device's cookie: the store looks the session up, none is created. */
  get(path: string): Promise<Op> {
    return this.perform('get', 'GET', path, undefined, { path });
  }

  /** GET /session: the express session id this device holds (recorded as a tag, like every op's). */
  session(): Promise<Op> {
    return this.perform('session', 'GET', '/session');
  }

  // The device logs in under its own name as the device label, so that another device can revoke it by name.
  signup(username: string, password: string): Promise<Op> {
    return this.perform('signup', 'POST', '/signup', { username, password, device: this.name }, { username });
  }

  login(username: string, password: string): Promise<Op> {
    return this.perform('login', 'POST', '/login', { username, password, device: this.name }, { username });
  }

  me(): Promise<Op> {
    return this.perform('me', 'GET', '/me');
  }

  logout(): Promise<Op> {
    return this.perform('logout', 'POST', '/logout');
  }

  logoutAll(): Promise<Op> {
    return this.perform('logout-all', 'POST', '/logout-all', undefined, undefined, true);
  }

  /** Revokes, from this device, the session of the device logged in under that name. */
  async revokeDevice(deviceName: string): Promise<Op> {
    const listed = await this.perform('list-sessions', 'GET', '/me/sessions', undefined, undefined, true);
    const sessions = (listed.value as { sessions?: { id: string; device: string }[] } | undefined)?.sessions ?? [];
    const target = sessions.find((s) => s.device === deviceName);
    if (!target) throw new Error(`${this.name} sees no session of a device named ${deviceName}`);
    return this.perform('revoke', 'DELETE', `/me/sessions/${target.id}`, undefined, { device: deviceName, sessionId: target.id });
  }

  /** The lab_sid cookie this device sends. */
  get sessionCookie(): string | undefined {
    return this.device.cookie(sessionCookieName);
  }

  /** Makes the device send this lab_sid cookie (one carried over from elsewhere), or none. */
  set sessionCookie(value: string | undefined) {
    this.device.setCookie(sessionCookieName, value);
  }
}

export class Lab {
  private readonly devices: Device[] = [];

  constructor(
    readonly running: RunningTopology,
    readonly history: History,
  ) {}

  /** A client with its own cookie jar (and, optionally, its own loopback source address, or a bearer token). */
  device(name: string, options: LabDeviceOptions = {}): LabDevice {
    const { bearer, ...deviceOptions } = options;
    const device = new Device(name, this.running.balancerUrl, deviceOptions);
    this.devices.push(device);
    return new LabDevice(device, this.history, bearer);
  }

  async fault(name: FaultName, service: string): Promise<Op> {
    const startedMs = this.history.now();
    try {
      await faults[name](this.running, service);
    } catch (err) {
      this.history.record({ process: 'nemesis', action: name, args: { service }, type: 'info', startedMs, endedMs: this.history.now(), error: String(err) });
      throw err;
    }
    return this.history.record({ process: 'nemesis', action: name, args: { service }, type: 'ok', startedMs, endedMs: this.history.now() });
  }

  /** A GET straight to one node, bypassing the balancer and any cookie; the label names it for the checker. */
  async probe(service: string, path: string, label: string): Promise<Op> {
    const startedMs = this.history.now();
    const answer = await this.running.probe(service, path);
    return this.history.record({
      process: 'probe',
      action: 'probe',
      args: { service, path, label },
      type: classify(false, answer.status),
      startedMs,
      endedMs: this.history.now(),
      status: answer.status,
      servedBy: answer.servedBy,
      value: answer.body,
    });
  }

  /**
   * Many first visits at once, each from a fresh client that adds one item (a new session per
   * request), recorded as one op with its counts. Returns the cookies of the first `keep` visits.
   */
  async visitors(count: number, concurrency: number, keep = 0): Promise<{ op: Op; cookies: string[] }> {
    const startedMs = this.history.now();
    const cookies: string[] = [];
    let next = 0;
    let ok = 0;
    let failed = 0;
    const worker = async () => {
      const device = new Device('visitor', this.running.balancerUrl);
      try {
        while (next < count) {
          const i = next++;
          device.setCookie(sessionCookieName, undefined);
          const answer = await device.post('/cart/items', { sku: 'apple', qty: 1 }).catch(() => undefined);
          if (answer?.status === 200) ok++;
          else failed++;
          if (i < keep && answer) cookies.push(device.cookie(sessionCookieName) ?? '');
        }
      } finally {
        await device.close();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const op = this.history.record({
      process: 'visitors',
      action: 'visit',
      args: { count, concurrency },
      type: failed === 0 ? 'ok' : 'info',
      startedMs,
      endedMs: this.history.now(),
      value: { ok, failed },
    });
    return { op, cookies };
  }

  /** Waiting on purpose (a TTL to pass), never for readiness; recorded, since checkers may need to know when. */
  async wait(ms: number, why: string): Promise<Op> {
    const startedMs = this.history.now();
    await sleep(ms);
    return this.history.record({ process: 'lab', action: 'wait', args: { ms, why }, type: 'ok', startedMs, endedMs: this.history.now() });
  }

  async close(): Promise<void> {
    await Promise.all(this.devices.splice(0).map((d) => d.close()));
  }
}

