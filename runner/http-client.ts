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

export interface DeviceOptions {
  /** Source address for this device's connections, e.g. 127.0.0.2. */
  localAddress?: string;
  /** Per-request deadline; past it the request fails (its outcome is then unknown). */
  timeoutMs?: number;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class Device {
  private readonly cookies = new Map<string, string>();
  private readonly agent: Agent;

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
    });
  }

  /** The Cookie header this device would send. */
  get cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  private remember(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      this.setCookie(name, expired ? undefined : value);
    }
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const allHeaders: Record<string, string> = { ...headers };
    if (this.cookieHeader) allHeaders.cookie = this.cookieHeader;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    const response = await request(new URL(path, this.baseUrl), { method: method as 'GET', headers: allHeaders, body: payload, dispatcher: this.agent });
    this.remember(response.headers['set-cookie']);
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
