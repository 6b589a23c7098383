// A device of `lab check`: one cookie jar against any app, speaking only the app file's round
// trip and login. The app says nothing of itself, so the device tells which node answered from
// the balancer (X-Upstream, the address nginx sent the request to, named by the running
// topology), and a new session from its own jar (the session cookie set to a value other than
// the one it sent).
import { createHash, randomBytes } from 'node:crypto';
import { answeringNode, upstreamOf } from '../../runner/balancer-reach.ts';
import type { Answer, Device } from '../../runner/http-client.ts';
import type { Lab } from '../../runner/lab.ts';
import type { Op } from '../../runner/history.ts';
import type { AppFile, RequestTemplate } from './app-file.ts';

export const checkActions = {
  write: 'write',
  read: 'read',
  signup: 'signup',
  login: 'login',
  loggedIn: 'logged-in?',
  logout: 'logout',
  logoutEverywhere: 'logout-everywhere',
} as const;

/** What a check device records. */
export interface CheckOp extends Op {
  /** write: the value it wrote. */
  written?: string;
  /** read: the values of this device the answer showed (of those it had written so far). */
  shown?: string[];
  /** logged-in?: whether the answer was a logged-in one (a 2xx whose body matches the file's pattern). */
  loggedIn?: boolean;
}

/** A value no app holds yet: the device's name, a count and a random tail. */
function uniqueValue(device: string, n: number): string {
  return `${device}-${n}-${randomBytes(3).toString('hex')}`;
}

/** A template with its placeholders ({value}, {user}, {password}) filled in. */
function filled<T extends string | number | boolean>(template: Record<string, T>, values: Record<string, string>): Record<string, T | string> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all) : v]));
}

function bodyOf(request: RequestTemplate, values: Record<string, string>): { body?: unknown; headers?: Record<string, string> } {
  if (request.json) return { body: filled(request.json, values) };
  if (request.form) return { body: new URLSearchParams(filled(request.form, values)).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  return {};
}

const escapedForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The part of an answer the read's `find` looks in: the text, or the value at a dotted JSON path. */
function searchedText(answer: Answer, find: NonNullable<AppFile['roundTrip']>['read']['find']): string {
  if (find === 'text') return answer.text;
  let at: unknown = answer.body;
  for (const key of find.json.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at === undefined ? '' : JSON.stringify(at);
}

/** A short tag of a cookie value: enough to follow a session in a report, useless to replay it. */
function tagOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : createHash('sha256').update(value).digest('hex').slice(0, 8);
}

export class CheckDevice {
  private readonly client: Device;
  private readonly written: string[] = [];
  private count = 0;
  /** Who it logs in as: the file's user, or the one it signed up. */
  private credentials: { user: string; password: string } | undefined;

  constructor(
    private readonly lab: Lab,
    private readonly app: AppFile,
    readonly name: string,
  ) {
    this.client = lab.client(name);
  }

  get cookie(): string | undefined {
    return this.client.cookie(this.app.cookie);
  }

  /** Who answered and what became of the session, from the balancer and the jar alone. */
  private identity(sent: string | undefined, answer: Answer | undefined): Partial<CheckOp> {
    if (!answer) return {};
    const node = answeringNode(this.lab.running, answer) ?? upstreamOf(answer);
    const now = this.cookie;
    const sessionState = now === undefined ? 'none' : sent === undefined ? 'new' : now !== sent ? 'new' : 'existing';
    return { servedBy: node, sessionState, session: tagOf(now) };
  }

  /** Writes a new unique value; remembered as acknowledged on a 2xx or 3xx. */
  async write(): Promise<CheckOp> {
    const value = uniqueValue(this.name, ++this.count);
    const { write } = this.app.roundTrip!;
    const sent = this.cookie;
    const { op } = await this.lab.send<CheckOp>(
      this.client,
      { action: checkActions.write, method: write.method, path: write.path, ...bodyOf(write, { value }), detail: value, args: { value } },
      (answer) => ({ ...this.identity(sent, answer), written: value, ...(answer ? { value: { setCookie: answer.headers['set-cookie'] } } : {}) }),
    );
    if (op.type === 'ok') this.written.push(value);
    return op;
  }

  /** Reads, and records which of this device's acknowledged values the answer shows. */
  async read(): Promise<CheckOp> {
    const { read } = this.app.roundTrip!;
    const sent = this.cookie;
    const known = [...this.written];
    const { op } = await this.lab.send<CheckOp>(this.client, { action: checkActions.read, method: read.method, path: read.path, keepBody: false }, (answer) => {
      if (!answer) return {};
      const text = searchedText(answer, read.find);
      const shown = known.filter((v) => text.includes(v));
      return { ...this.identity(sent, answer), shown, args: { expected: known.length }, seen: `${shown.length} of ${known.length} values` };
    });
    return op;
  }

  /** A request of the app's own that gives this device a session: the round trip's write, or else a logged-in? ask. */
  async visit(): Promise<CheckOp> {
    return this.app.roundTrip ? this.write() : this.whoAmI();
  }

  /** Signs up a user of its own (where the file says how), else takes the file's user; then logs in. */
  async logIn(): Promise<CheckOp> {
    const login = this.app.login!;
    if (!this.credentials && login.signup) {
      const tag = randomBytes(5).toString('hex');
      this.credentials = { user: `lab${tag}`, password: `lab-password-${tag}` };
      await this.loginRequest(checkActions.signup, login.signup);
    }
    this.credentials ??= { user: login.user!, password: login.password! };
    return this.loginRequest(checkActions.login, login.request);
  }

  /** Logs in as another device's user (a second device of the same person). */
  async logInAs(other: CheckDevice): Promise<CheckOp> {
    this.credentials = other.credentials;
    return this.logIn();
  }

  async logOut(): Promise<CheckOp> {
    return this.loginRequest(checkActions.logout, this.app.login!.logout!);
  }

  async logOutEverywhere(): Promise<CheckOp> {
    return this.loginRequest(checkActions.logoutEverywhere, this.app.login!.logoutEverywhere!);
  }

  /**
   * Asks whether this jar is logged in, as the user it logged in as (or userOf's: a thief asks as
   * the one it stole from); expect says what the check counts on, for the contract to hold the
   * answer against.
   */
  async whoAmI(options: { expect?: 'logged-in' | 'logged-out'; userOf?: CheckDevice } = {}): Promise<CheckOp> {
    const { expect, userOf = this } = options;
    const { loggedIn } = this.app.login!;
    const user = userOf.credentials?.user ?? this.app.login!.user ?? '';
    const pattern = new RegExp(loggedIn.pattern.replaceAll('{user}', escapedForRegExp(user)));
    const { path } = loggedIn;
    const sent = this.cookie;
    const { op } = await this.lab.send<CheckOp>(this.client, { action: checkActions.loggedIn, method: 'GET', path, keepBody: false, ...(expect ? { args: { expect } } : {}) }, (answer) => {
      if (!answer) return {};
      const yes = answer.status >= 200 && answer.status < 300 && pattern.test(answer.text);
      return { ...this.identity(sent, answer), loggedIn: yes, seen: yes ? 'logged in' : `logged out (${answer.status})` };
    });
    return op;
  }

  /** Takes a copy of another device's whole jar (a stolen cookie, a shared computer). */
  copyCookiesOf(other: CheckDevice): void {
    this.client.copyCookiesFrom(other.client);
  }

  /** Sets its session cookie to another device's (an attacker planting a session id before the login). */
  plantSessionOf(other: CheckDevice): void {
    this.client.setCookie(this.app.cookie, other.cookie);
  }

  private async loginRequest(action: string, request: RequestTemplate): Promise<CheckOp> {
    const sent = this.cookie;
    const values = this.credentials ?? { user: '', password: '' };
    const { op } = await this.lab.send<CheckOp>(this.client, { action, method: request.method, path: request.path, ...bodyOf(request, values), detail: values.user }, (answer) => ({
      ...this.identity(sent, answer),
      ...(answer?.headers['set-cookie'] ? { value: { setCookie: answer.headers['set-cookie'] } } : {}),
    }));
    return op;
  }
}
