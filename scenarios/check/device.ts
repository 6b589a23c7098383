// A device of `lab check`: one cookie jar against any app, speaking only the app file's round
// trip. The app says nothing of itself, so the device tells which node answered from the balancer
// (X-Upstream, the address nginx sent the request to, named by the running topology), and a new
// session from its own jar (the session cookie set to a value other than the one it sent).
import { createHash, randomBytes } from 'node:crypto';
import type { Answer, Device } from '../../runner/http-client.ts';
import type { Lab } from '../../runner/lab.ts';
import type { Op } from '../../runner/history.ts';
import type { AppFile, RequestTemplate } from './app-file.ts';

export const checkActions = { write: 'write', read: 'read' } as const;

/** What a check device records. */
export interface CheckOp extends Op {
  /** write: the value it wrote. */
  written?: string;
  /** read: the values of this device the answer showed (of those it had written so far). */
  shown?: string[];
}

/** A value no app holds yet: the device's name, a count and a random tail. */
function uniqueValue(device: string, n: number): string {
  return `${device}-${n}-${randomBytes(3).toString('hex')}`;
}

function filled<T extends string | number | boolean>(template: Record<string, T>, value: string): Record<string, T | string> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('{value}', value) : v]));
}

function bodyOf(request: RequestTemplate, value: string): { body?: unknown; headers?: Record<string, string> } {
  if (request.json) return { body: filled(request.json, value) };
  if (request.form) return { body: new URLSearchParams(filled(request.form, value)).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  return {};
}

/** The part of an answer the read's `find` looks in: the text, or the value at a dotted JSON path. */
function searchedText(answer: Answer, find: AppFile['roundTrip']['read']['find']): string {
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
    const upstream = String(answer.headers['x-upstream'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    // The balancer's word, not the app's (X-Served-By only where the backend cannot name an address).
    const node = (upstream && this.lab.running.nodeAt?.(upstream)) || answer.servedBy || upstream;
    const now = this.cookie;
    const sessionState = now === undefined ? 'none' : sent === undefined ? 'new' : now !== sent ? 'new' : 'existing';
    return { servedBy: node, sessionState, session: tagOf(now) };
  }

  /** Writes a new unique value; remembered as acknowledged on a 2xx or 3xx. */
  async write(): Promise<CheckOp> {
    const value = uniqueValue(this.name, ++this.count);
    const { write } = this.app.roundTrip;
    const sent = this.cookie;
    const { op } = await this.lab.send<CheckOp>(
      this.client,
      { action: checkActions.write, method: write.method, path: write.path, ...bodyOf(write, value), detail: value, args: { value } },
      (answer) => ({ ...this.identity(sent, answer), written: value, ...(answer ? { value: { setCookie: answer.headers['set-cookie'] } } : {}) }),
    );
    if (op.type === 'ok') this.written.push(value);
    return op;
  }

  /** Reads, and records which of this device's acknowledged values the answer shows. */
  async read(): Promise<CheckOp> {
    const { read } = this.app.roundTrip;
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
}
