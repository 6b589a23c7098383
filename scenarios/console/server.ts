// The lab console: one page that shows a running topology and breaks it. It listens on 127.0.0.1
// only, under a random token in the path (anything else answers 404), and pushes to the page with
// server-sent events: every request through the balancer (read from nginx's access log, whoever
// sent it), each service's status and last log lines, the sessions each store holds, and the
// faults clicked, which run exactly as a scenario's do (lab.fault) and are recorded the same way.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningTopology, ServiceStatus } from '../../runner/backend.ts';
import { faults, type FaultName } from '../../runner/faults/index.ts';
import { History, type Op } from '../../runner/history.ts';
import { Lab } from '../../runner/lab.ts';
import { appServices } from '../../runner/topology.ts';
import { parseAccessLine, markState } from './access-log.ts';
import { ConsoleDevices, deviceVerbs, type DeviceVerb } from './devices.ts';
import { consolePage } from './page.ts';
import { saveConsoleReport } from './report.ts';
import { storeCounts, type StoreCount } from './stores.ts';

export interface ConsoleOptions {
  /** 0: any free port. */
  port?: number;
  /** How often statuses and store counts are read again. */
  pollMs?: number;
}

export interface RunningConsole {
  /** http://127.0.0.1:<port>/<token>/ */
  url: string;
  close(): Promise<void>;
}

/** How many requests the console keeps for a page that opens later. */
const keptRequests = 2000;
/**
 * How many operations "Save report" covers at most: the last ones. A console left up for hours
 * under load must not grow without end, and a report of more would not open in a browser.
 */
const keptReportOps = 20_000;
const keptLogLines = 8;
const ownPoll = /GET \/debug\/sessions\b/;
const here = dirname(fileURLToPath(import.meta.url));
const assets: Record<string, { file: string; type: string }> = {
  'console.js': { file: join(here, 'console.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { file: join(here, 'console.css'), type: 'text/css; charset=utf-8' },
};

/** Faults a card offers, per service; the network ones only where the run's network allows them. */
export function faultButtons(running: RunningTopology): FaultName[] {
  const process: FaultName[] = ['kill', 'restart', 'stop', 'start', 'pause', 'resume'];
  return running.network ? [...process, 'isolate'] : process;
}

export async function startConsole(running: RunningTopology, options: ConsoleOptions = {}): Promise<RunningConsole> {
  const token = randomBytes(18).toString('base64url');
  const startedAt = Date.now();
  const atMs = () => Date.now() - startedAt;
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: unknown) => {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(message);
  };

  // One history for the report: every request nginx logged, and every fault. The console's own
  // devices record into a history of their own, since nginx logs their requests too.
  // Faults are few and kept apart, so that a page opened later lists them all.
  const faultsDone: Record<string, unknown>[] = [];
  const history = new History(
    (op) => {
      if (op.process !== 'nemesis') return;
      faultsDone.push(faultEvent(op));
      send('fault', faultEvent(op));
    },
    { keepLast: keptReportOps },
  );
  const lab = new Lab(running, history);
  const devices = new ConsoleDevices(new Lab(running, new History()));
  const services = running.topology.services.map((s) => s.name);
  const nginx = running.topology.services.find((s) => s.kind === 'nginx')?.name;
  const requests: unknown[] = [];
  const logs = new Map<string, string[]>(services.map((s) => [s, []]));
  const statuses = new Map<string, ServiceStatus>();
  let stores: StoreCount[] = [];
  let requestId = 0;

  const unsubscribe = running.logs?.subscribe((service, line) => {
    const lines = logs.get(service);
    // The console's own store polls are not the user's traffic: they stay out of the cards.
    if (lines && !ownPoll.test(line)) {
      lines.push(line);
      if (lines.length > keptLogLines) lines.shift();
      send('log', { service, line });
    }
    const request = service === nginx ? parseAccessLine(line) : undefined;
    if (!request) return;
    const op = history.record({
      process: request.device ?? `client ${request.client}`,
      action: 'request',
      type: request.status < 300 ? 'ok' : request.status < 500 ? 'fail' : 'info',
      startedMs: Math.max(0, history.now() - request.seconds * 1000),
      endedMs: history.now(),
      request: `${request.method} ${request.path}`,
      status: request.status,
      ...(request.node ? { servedBy: request.node } : {}),
      ...(request.session ? { sessionState: request.session } : {}),
    });
    const event = { id: ++requestId, atMs: atMs(), index: op.index, ...request, state: markState(request) };
    requests.push(event);
    if (requests.length > keptRequests) requests.shift();
    send('request', event);
  });

  // Statuses and store counts, read again every pollMs.
  const poll = async () => {
    // Asked all at once: under compose they share one `docker compose ps`.
    const read = await Promise.all(
      services.map((name) => {
        const control = running.service(name);
        return control.status ? control.status().catch((): ServiceStatus => 'down') : Promise.resolve<ServiceStatus>('up');
      }),
    );
    for (const [i, name] of services.entries()) {
      const status = read[i]!;
      if (statuses.get(name) !== status) {
        statuses.set(name, status);
        send('status', { service: name, status });
      }
    }
    const up = appServices(running.topology).filter((s) => statuses.get(s.name) === 'up').map((s) => s.name);
    stores = await storeCounts(running, up);
    send('stores', stores);
  };
  // The next round waits at least twice as long as the last one took: under compose, each count is
  // a `docker compose exec`, and polling must not take the machine's cores from the topology.
  let poller: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = (lastMs: number) => {
    if (closed) return;
    poller = setTimeout(() => {
      const began = performance.now();
      void poll()
        .catch(() => {})
        .finally(() => schedule(performance.now() - began));
    }, Math.max(options.pollMs ?? 1000, 2 * lastMs));
  };
  const firstBegan = performance.now();
  await poll();
  schedule(performance.now() - firstBegan);

  const snapshot = () => ({
    topology: running.topology.name,
    balancerUrl: running.balancerUrl,
    atMs: atMs(),
    // Until the first status read: what the topology starts (a spare node waits for scale-out).
    services: running.topology.services.map((s) => ({ name: s.name, kind: s.kind, status: statuses.get(s.name) ?? (s.spare ? 'down' : 'up'), logs: logs.get(s.name) ?? [] })),
    faults: faultButtons(running),
    network: running.network !== undefined,
    // Whether the balancer's list can change: scale-out adds a spare node, scale-in drains one.
    scale: running.balancer !== undefined,
    requests,
    faultsDone,
    stores,
    devices: devices.list(),
    deviceVerbs,
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => answer(res, 500, { error: String(err) }));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const prefix = `/${token}/`;
    if (!url.pathname.startsWith(prefix)) return answer(res, 404, { error: 'not_found' });
    const path = url.pathname.slice(prefix.length);
    if (req.method === 'GET' && path === '') return page(res, consolePage(running.topology.name), 'text/html; charset=utf-8');
    const asset = req.method === 'GET' && Object.hasOwn(assets, path) ? assets[path] : undefined;
    if (asset) return page(res, await readFile(asset.file, 'utf8'), asset.type);
    if (req.method === 'GET' && path === 'state') return answer(res, 200, snapshot());
    if (req.method === 'GET' && path === 'events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', ...securityHeaders });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method !== 'POST') return answer(res, 404, { error: 'not_found' });
    // A JSON body only: a form on another site cannot send one without asking first, and this
    // server never says yes to another origin.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(res, 415, { error: 'unsupported_media_type', message: 'send JSON' });
    const body = await readJson(req);
    if (body instanceof BadBody) return answer(res, body.status, { error: body.code, message: body.message });
    if (path === 'faults') {
      const fault = String(body.fault ?? '') as FaultName;
      if (!(fault in faults)) return answer(res, 400, { error: 'bad_fault', message: `fault must be one of ${Object.keys(faults).join(', ')}` });
      try {
        // The fleet's "drain" button names no node: the one added last goes first.
        const target = fault === 'scale-in' && !body.target ? (running.balancer?.nodes().at(-1) ?? '') : String(body.target ?? '');
        const op = await lab.fault(fault, target);
        return answer(res, 200, faultEvent(op));
      } catch (err) {
        return answer(res, 409, { error: 'fault_failed', message: err instanceof Error ? err.message : String(err) });
      }
    }
    if (path === 'devices') return answer(res, 200, { name: devices.add() });
    const verb = /^devices\/([\w-]+)\/(\w+)$/.exec(path);
    if (verb && deviceVerbs.includes(verb[2] as DeviceVerb)) {
      const result = await devices.act(verb[1]!, verb[2] as DeviceVerb);
      if (!result) return answer(res, 404, { error: 'no_such_device' });
      send('device', result);
      return answer(res, 200, result);
    }
    if (path === 'report') {
      const file = await saveConsoleReport(running, history, new Date(startedAt));
      return answer(res, 200, { file });
    }
    return answer(res, 404, { error: 'not_found' });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    close: async () => {
      closed = true;
      clearTimeout(poller);
      unsubscribe?.();
      for (const client of clients) client.end();
      await devices.close();
      await lab.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function faultEvent(op: Op): Record<string, unknown> {
  return { index: op.index, atMs: op.endedMs, action: op.action, target: op.args?.service ?? op.args?.target ?? '', type: op.type, ...(op.error ? { error: op.error } : {}) };
}

/** The console's page and script: nothing from elsewhere, no inline script, not in a frame. */
const securityHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function page(res: ServerResponse, body: string, type: string): void {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...securityHeaders });
  res.end(body);
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...securityHeaders });
  res.end(JSON.stringify(body));
}

/** A request body the console cannot take, and the answer that says why. */
class BadBody {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

const maxBodyBytes = 10_000;

/** The request's JSON object (an empty body is {}), or why not. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | BadBody> {
  // Read to the end even past the limit (leaving the loop early would destroy the socket before
  // the answer), keeping only what fits.
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBodyBytes) chunks.push(chunk);
  }
  if (bytes > maxBodyBytes) return new BadBody(413, 'body_too_large', `a body of at most ${maxBodyBytes} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    return new BadBody(400, 'bad_json', 'the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new BadBody(400, 'bad_json', 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}
