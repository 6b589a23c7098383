// An HTTP client that behaves like one browser: its own cookie jar and, optionally, its own
// loopback source address (so that nginx's ip_hash sees distinct clients).
import { Agent, request } from 'undici';

export interface Answer {
  status: number;
  /** X-Served-By: the app node that answered (absent when nginx answered by itself). */
  servedBy: string | undefined;
  /** X-Session-State: new, existing, lost (or unknown when the store could not be asked). */
  sessionState: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** A request whose redirect was followed on its headers (see Device.sendFollowingRedirect). */
export interface Followed {
  first: Answer;
  /** When the first answer's headers came, and when its body ended (performance.now()). */
  headersAtMs: number;
  bodyEndedAtMs: number;
  /**
   * The answer to the GET of its Location, when it was a redirect (or why that GET got none), and
   * when that GET ended: it may end before the first answer's body does.
   */
  followed?: { answer: Answer | { error: unknown }; endedAtMs: number };
}

export interface DeviceOptions {
  /** Source address for this device's connections, e.g. 127.0.0.2. */
  localAddress?: string;
  /** Per-request deadline; past it the request fails (its outcome is then unknown). */
  timeoutMs?: number;
}

/**
 * A balancer that terminates TLS does so with a self-signed certificate made for the run (see the
 * compose files' openssl service): the lab's clients accept it unverified. They test what the
 * shop does with cookies over https, not the certificate chain.
 */
export const runCertificate = { rejectUnauthorized: false } as const;

interface StoredCookie {
  value: string;
  /** Set with the Secure attribute: sent over https only, as a browser does. */
  secure: boolean;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** What a connection that closes before the answer began fails with. */
const closedBeforeAnswer = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export class Device {
  private readonly cookies = new Map<string, StoredCookie>();
  private readonly agent: Agent;
  /** Keep-alive connections open to the balancer now (undici's connect and disconnect events). */
  private openConnections = 0;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly options: DeviceOptions = {},
  ) {
    const timeoutMs = options.timeoutMs ?? 5000;
    this.agent = new Agent({
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: runCertificate,
    });
    this.agent.on('connect', () => this.openConnections++);
    this.agent.on('disconnect', () => this.openConnections--);
  }

  /** The Cookie header this device would send to its balancer. */
  get cookieHeader(): string | undefined {
    const overHttps = this.baseUrl.startsWith('https:');
    const sent = [...this.cookies].filter(([, cookie]) => overHttps || !cookie.secure);
    if (sent.length === 0) return undefined;
    return sent.map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  setCookie(name: string, value: string | undefined, secure = false): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, { value, secure });
  }

  /** Every cookie of another jar, as it is: what a thief who copied that jar would send. */
  copyCookiesFrom(other: Device): void {
    for (const [name, cookie] of other.cookies) this.cookies.set(name, { ...cookie });
  }

  private remember(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      const secure = attributes.some((a) => /^\s*secure\s*$/i.test(a));
      this.setCookie(name, expired ? undefined : value, secure);
    }
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return (await this.open(method, path, body, headers)).answer();
  }

  /**
   * Sends a request and, when its answer is a redirect, follows it as soon as the status line and
   * headers arrive, as a browser does, with the cookies those headers set, before the answer's
   * body has ended. Timed on performance.now(): when the headers came, when the body ended.
   */
  async sendFollowingRedirect(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Followed> {
    const opened = await this.open(method, path, body, headers);
    const headersAtMs = performance.now();
    const location = firstHeader(opened.headers.location);
    const redirected = opened.status >= 300 && opened.status < 400 && location !== undefined;
    const [first, followed] = await Promise.all([
      opened.answer().then((answer) => ({ answer, bodyEndedAtMs: performance.now() })),
      // A followed GET that fails is the follow's failure, not the first request's.
      redirected
        ? this.send('GET', location, undefined, headers)
            .catch((error: unknown) => ({ error }))
            .then((answer) => ({ answer, endedAtMs: performance.now() }))
        : undefined,
    ]);
    return { first: first.answer, headersAtMs, bodyEndedAtMs: first.bodyEndedAtMs, ...(followed ? { followed } : {}) };
  }

  /** Sends a request, keeps the cookies its headers set; answer() then reads the body. */
  private async open(method: string, path: string, body: unknown, headers: Record<string, string>) {
    // Named, so that the balancer's access log (and the console reading it) can say which device sent it.
    const allHeaders: Record<string, string> = { 'x-lab-device': this.name, ...headers };
    if (this.cookieHeader) allHeaders.cookie = this.cookieHeader;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    const send = () => request(new URL(path, this.baseUrl), { method: method as 'GET', headers: allHeaders, body: payload, dispatcher: this.agent });
    // A keep-alive connection the balancer closes as the request goes out (an nginx reload closes
    // its idle ones) fails before any byte of the answer: a browser sends the request again, once,
    // on a new connection, POST included (Chromium's resend on a reused socket), and so does a device.
    const reused = this.openConnections > 0;
    const response = await send().catch((err: unknown) => {
      if (reused && closedBeforeAnswer.has(String((err as { code?: unknown }).code))) return send();
      throw err;
    });
    this.remember(response.headers['set-cookie']);
    const answer = async (): Promise<Answer> => {
      const text = await response.body.text();
      let parsed: unknown = text;
      if (String(response.headers['content-type'] ?? '').includes('application/json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return {
        status: response.statusCode,
        servedBy: firstHeader(response.headers['x-served-by']),
        sessionState: firstHeader(response.headers['x-session-state']),
        headers: response.headers,
        body: parsed,
        text,
      };
    };
    return { status: response.statusCode, headers: response.headers, answer };
  }

  get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  post(path: string, body?: unknown): Promise<Answer> {
    return this.send('POST', path, body);
  }

  delete(path: string): Promise<Answer> {
    return this.send('DELETE', path);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** One cookie-less GET straight to a server (a node's probe), on a client of its own, closed after. */
export async function getOnce(baseUrl: string, path: string, timeoutMs: number): Promise<Pick<Answer, 'status' | 'servedBy' | 'body'>> {
  const device = new Device('probe', baseUrl, { timeoutMs });
  try {
    const { status, servedBy, body } = await device.get(path);
    return { status, servedBy, body };
  } finally {
    await device.close();
  }
}
