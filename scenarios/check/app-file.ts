// The app file: a small YAML file a team keeps beside its app that describes it to `lab check`
// and nothing more: how one node starts, the session cookie's name, how the lab can tell that a
// session continues (a round trip: a write of a value the lab makes up, a read that shows every
// value written so far; or a login: a request that logs in, and one whose answer tells logged in
// from logged out), the stores the app runs on, and what the team expects of each check.
// Read strictly: a missing or wrong field, or one the lab does not know, is an error naming the
// field and its line.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** The stores the lab can start for an app, and how each is reached from the app's environment. */
export const checkStores = ['memory', 'file', 'redis', 'postgres', 'cookie'] as const;
export type CheckStore = (typeof checkStores)[number];

/**
 * What the lab substitutes in the app's environment: each node's name and port, the session
 * secret, and the addresses of the store the lab starts.
 */
export const placeholders = ['node', 'port', 'secret', 'redis_url', 'database_url', 'file_dir'] as const;

/** The checks an app file may expect outcomes of (see checks.ts). */
export const checkNames = [
  'round-robin',
  'secret-per-node',
  'node-restart',
  'node-kill',
  'store-outage',
  'store-pause',
  'store-crash',
  'concurrent-writes',
  'cookie-flags',
  'cookie-secure',
  'cookie-size',
  'session-fixation',
  'logout-replay',
  'logout-everywhere',
] as const;
export type CheckName = (typeof checkNames)[number];

export interface RequestTemplate {
  method: string;
  path: string;
  /** A JSON body (strings with {value} in them, numbers and booleans as they are) or a form body. */
  json?: Record<string, string | number | boolean>;
  form?: Record<string, string>;
}

/** What the login's requests may use: the user the lab logs in as, and its password. */
export const loginPlaceholders = ['user', 'password'] as const;

export interface Login {
  /** The stores the login works on (one that needs the database, say); every store by default. */
  stores?: CheckStore[];
  /** Makes a user of the lab's own for each device; without it every device logs in as user. */
  signup?: RequestTemplate;
  user?: string;
  password?: string;
  request: RequestTemplate;
  /** A GET whose 2xx answer's body matches pattern (a regular expression, {user} in it) only when logged in. */
  loggedIn: { path: string; pattern: string };
  logout?: RequestTemplate;
  /** Ends every session of the user, on every device. */
  logoutEverywhere?: RequestTemplate;
}

export interface AppFile {
  /** Where it was read from; the app's paths are relative to its directory. */
  file: string;
  dir: string;
  name: string;
  node: {
    command?: string[];
    build?: string;
    /** The Dockerfile, relative to the build context (compose's `dockerfile`); Dockerfile by default. */
    dockerfile?: string;
    image?: string;
    port: number;
    ready: string;
    environment: Record<string, string>;
  };
  cookie: string;
  stores: Partial<Record<CheckStore, Record<string, string>>>;
  roundTrip?: {
    write: RequestTemplate;
    read: { method: string; path: string; find: 'text' | { json: string } };
  };
  login?: Login;
  /** Per store, per check: the outcome the team expects. */
  expect: Partial<Record<CheckStore, Record<string, string>>>;
}

export class AppFileError extends Error {
  override name = 'AppFileError';
}

/** Reads one YAML node by a schema of its own, each error naming the path and the line. */
class Reader {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  fail(node: Node | null | undefined, path: string, message: string): never {
    const at = node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    throw new AppFileError(`${this.file}${at ? `:${at}` : ''}: ${path}: ${message}`);
  }

  /** The map's entries, refusing keys outside known. */
  map(node: Node | null | undefined, path: string, known?: readonly string[]): Map<string, Node | null> {
    if (!isMap(node)) this.fail(node, path, 'must be a mapping');
    const entries = new Map<string, Node | null>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (known && !known.includes(key)) this.fail(pair.key as Node, `${path}.${key}`, `unknown field; known: ${known.join(', ')}`);
      entries.set(key, pair.value as Node | null);
    }
    return entries;
  }

  /** A JSON body's fields: strings checked like variables, numbers and booleans kept as they are. */
  jsonFields(node: Node | null | undefined, path: string, allowed: readonly string[]): Record<string, string | number | boolean> {
    const result: Record<string, string | number | boolean> = {};
    for (const [key, value] of this.map(node, path)) {
      const scalar = isScalar(value) ? value.value : undefined;
      result[key] = typeof scalar === 'number' || typeof scalar === 'boolean' ? scalar : this.template(value, `${path}.${key}`, allowed);
    }
    return result;
  }

  string(node: Node | null | undefined, path: string, pattern?: RegExp, hint?: string): string {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) this.fail(node, path, 'must be a string');
    const value = String(node.value);
    if (pattern && !pattern.test(value)) this.fail(node, path, `${hint ?? `must match ${pattern}`} (got "${value}")`);
    return value;
  }

  integer(node: Node | null | undefined, path: string, min: number, max: number): number {
    if (!isScalar(node) || !Number.isInteger(node.value) || (node.value as number) < min || (node.value as number) > max) this.fail(node, path, `must be an integer from ${min} to ${max}`);
    return node.value as number;
  }

  strings(node: Node | null | undefined, path: string): string[] {
    if (!isSeq(node) || node.items.length === 0) this.fail(node, path, 'must be a non-empty list of strings');
    return node.items.map((item, i) => this.string(item as Node, `${path}[${i}]`));
  }

  /** A map of strings, each checked for the placeholders it may use. */
  variables(node: Node | null | undefined, path: string, allowed: readonly string[]): Record<string, string> {
    if (node === null || node === undefined) return {};
    const result: Record<string, string> = {};
    for (const [key, value] of this.map(node, path)) result[key] = this.template(value, `${path}.${key}`, allowed);
    return result;
  }

  /** A string whose placeholders ({name}) are all allowed ones. */
  template(node: Node | null | undefined, path: string, allowed: readonly string[]): string {
    const text = this.string(node, path);
    for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
      if (!allowed.includes(name!)) this.fail(node, path, `unknown placeholder {${name}}; known: ${allowed.map((p) => `{${p}}`).join(' ')}`);
    }
    return text;
  }
}

const pathPattern = /^\/[^\s]*$/;
const methods = /^(GET|POST|PUT|PATCH|DELETE)$/;

function requestOf(r: Reader, node: Node | null | undefined, path: string, allowed: readonly string[] = ['value']): RequestTemplate {
  const fields = r.map(node, path, ['method', 'path', 'json', 'form']);
  if (fields.has('json') && fields.has('form')) r.fail(node, path, 'takes json or form, not both');
  return {
    method: r.string(fields.get('method'), `${path}.method`, methods, 'must be GET, POST, PUT, PATCH or DELETE'),
    path: r.string(fields.get('path'), `${path}.path`, pathPattern, 'must be a path starting with /'),
    ...(fields.has('json') ? { json: r.jsonFields(fields.get('json'), `${path}.json`, allowed) } : {}),
    ...(fields.has('form') ? { form: r.variables(fields.get('form'), `${path}.form`, allowed) } : {}),
  };
}

function loginOf(r: Reader, node: Node | null | undefined, stores: readonly string[]): Login {
  const fields = r.map(node, 'login', ['stores', 'signup', 'user', 'password', 'request', 'loggedIn', 'logout', 'logoutEverywhere']);
  for (const required of ['request', 'loggedIn']) if (!fields.has(required)) r.fail(node, `login.${required}`, 'is required');
  if (fields.has('signup') === (fields.has('user') || fields.has('password'))) r.fail(node, 'login', 'takes signup (a user of the lab\'s own per device) or user and password (one user for all), one of the two');
  if (!fields.has('signup') && !(fields.has('user') && fields.has('password'))) r.fail(node, 'login', 'needs both user and password');
  const loginStores = fields.has('stores') ? r.strings(fields.get('stores'), 'login.stores') : undefined;
  loginStores?.forEach((store, i) => {
    if (!stores.includes(store)) r.fail(fields.get('stores'), `login.stores[${i}]`, `the file names no ${store} store (stores: ${stores.join(', ')})`);
  });
  const loggedIn = r.map(fields.get('loggedIn'), 'login.loggedIn', ['path', 'pattern']);
  const pattern = r.template(loggedIn.get('pattern'), 'login.loggedIn.pattern', ['user']);
  try {
    new RegExp(pattern);
  } catch (err) {
    r.fail(loggedIn.get('pattern'), 'login.loggedIn.pattern', `not a regular expression (${(err as Error).message})`);
  }
  const optionalRequest = (name: string) => (fields.has(name) ? { [name]: requestOf(r, fields.get(name), `login.${name}`, loginPlaceholders) } : {});
  return {
    ...(loginStores ? { stores: loginStores as CheckStore[] } : {}),
    ...optionalRequest('signup'),
    ...(fields.has('user') ? { user: r.string(fields.get('user'), 'login.user'), password: r.string(fields.get('password'), 'login.password') } : {}),
    request: requestOf(r, fields.get('request'), 'login.request', loginPlaceholders),
    loggedIn: { path: r.string(loggedIn.get('path'), 'login.loggedIn.path', pathPattern, 'must be a path starting with /'), pattern },
    ...optionalRequest('logout'),
    ...optionalRequest('logoutEverywhere'),
  };
}

function roundTripOf(r: Reader, node: Node | null | undefined): NonNullable<AppFile['roundTrip']> {
  const trip = r.map(node, 'roundTrip', ['write', 'read']);
  const read = r.map(trip.get('read'), 'roundTrip.read', ['method', 'path', 'find']);
  const findNode = read.get('find');
  let find: NonNullable<AppFile['roundTrip']>['read']['find'] = 'text';
  if (isMap(findNode)) find = { json: r.string(r.map(findNode, 'roundTrip.read.find', ['json']).get('json'), 'roundTrip.read.find.json', /^[\w.-]+$/, 'must be a dotted path such as notes or data.items') };
  else if (findNode !== undefined) r.string(findNode, 'roundTrip.read.find', /^text$/, 'must be text or {json: <dotted path>}');
  return {
    write: requestOf(r, trip.get('write'), 'roundTrip.write'),
    read: { method: read.has('method') ? r.string(read.get('method'), 'roundTrip.read.method', /^GET$/, 'must be GET') : 'GET', path: r.string(read.get('path'), 'roundTrip.read.path', pathPattern, 'must be a path starting with /'), find },
  };
}

/** Parses an app file's text; file names it in errors and anchors its relative paths. */
export function parseAppFile(file: string, text: string): AppFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) throw new AppFileError(`${file}: not YAML: ${doc.errors[0]!.message}`);
  const r = new Reader(file, lines);
  const top = r.map(doc.contents as Node, 'app file', ['name', 'node', 'session', 'stores', 'roundTrip', 'login', 'expect']);
  for (const required of ['name', 'node', 'session', 'stores']) if (!top.has(required)) r.fail(doc.contents as Node, required, 'is required');
  if (!top.has('roundTrip') && !top.has('login')) r.fail(doc.contents as Node, 'roundTrip', 'is required, or a login: the lab needs one of them to tell that a session continues');

  const node = r.map(top.get('node'), 'node', ['command', 'build', 'dockerfile', 'image', 'port', 'ready', 'environment']);
  if (!node.has('command') && !node.has('build') && !node.has('image')) r.fail(top.get('node'), 'node', 'needs a command (local backend), a build context or an image (compose backend)');
  if (node.has('build') && node.has('image')) r.fail(top.get('node'), 'node', 'takes a build context or an image, not both');
  if (node.has('dockerfile') && !node.has('build')) r.fail(node.get('dockerfile'), 'node.dockerfile', 'goes with a build context (node.build)');
  const session = r.map(top.get('session'), 'session', ['cookie']);

  const stores: AppFile['stores'] = {};
  for (const [store, value] of r.map(top.get('stores'), 'stores', checkStores)) stores[store as CheckStore] = r.variables(value, `stores.${store}`, placeholders);
  if (Object.keys(stores).length === 0) r.fail(top.get('stores'), 'stores', 'must name at least one store');

  const roundTrip = top.has('roundTrip') ? roundTripOf(r, top.get('roundTrip')) : undefined;
  const login = top.has('login') ? loginOf(r, top.get('login'), Object.keys(stores)) : undefined;

  const expect: AppFile['expect'] = {};
  if (top.has('expect')) {
    for (const [store, value] of r.map(top.get('expect'), 'expect', checkStores)) {
      if (!(store in stores)) r.fail(value, `expect.${store}`, `the file names no ${store} store (stores: ${Object.keys(stores).join(', ')})`);
      const outcomes: Record<string, string> = {};
      for (const [check, outcome] of r.map(value, `expect.${store}`, checkNames)) outcomes[check] = r.string(outcome, `expect.${store}.${check}`, /^[a-z-]+$/, 'must be an outcome such as kept or lost');
      expect[store as CheckStore] = outcomes;
    }
  }

  const dir = dirname(resolve(file));
  return {
    file,
    dir,
    name: r.string(top.get('name'), 'name', /^[a-z0-9][a-z0-9-]{0,40}$/, 'must be lower-case letters, digits and "-"'),
    node: {
      ...(node.has('command') ? { command: r.strings(node.get('command'), 'node.command') } : {}),
      ...(node.has('build') ? { build: resolve(dir, r.string(node.get('build'), 'node.build')) } : {}),
      ...(node.has('dockerfile') ? { dockerfile: r.string(node.get('dockerfile'), 'node.dockerfile') } : {}),
      ...(node.has('image') ? { image: r.string(node.get('image'), 'node.image') } : {}),
      port: r.integer(node.get('port'), 'node.port', 1, 65535),
      ready: node.has('ready') ? r.string(node.get('ready'), 'node.ready', pathPattern, 'must be a path starting with /') : '/',
      environment: r.variables(node.get('environment'), 'node.environment', placeholders),
    },
    cookie: r.string(session.get('cookie'), 'session.cookie', /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a cookie name'),
    stores,
    ...(roundTrip ? { roundTrip } : {}),
    ...(login ? { login } : {}),
    expect,
  };
}

export function readAppFile(file: string): AppFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppFileError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseAppFile(file, text);
}
