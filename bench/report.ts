// The benchmark's figures as terminal tables and as a Markdown report that answers the questions
// a team choosing a session store asks.
import type { FileStoreResult } from './file-store.ts';
import type { BenchGroup } from './groups.ts';
import type { Machine } from './machine.ts';
import type { MemoryResult, ReclaimResult } from './memory.ts';
import type { CookieSizeResult } from './cookie-size.ts';
import type { LoginTimingResult } from './login-timing.ts';
import type { OutageResult } from './outage.ts';
import type { BenchSettings } from './settings.ts';
import type { CaseResult } from './throughput.ts';
import { median } from '../lib/stats.ts';

export interface BenchReport {
  date: string;
  mode: BenchSettings['mode'];
  settings: BenchSettings;
  /** What this run measured (older results, before groups: everything). */
  groups?: BenchGroup[];
  machine: Machine;
  throughput: (CaseResult & { ratioToBaseline: number })[];
  /** Each of these only where its group ran. */
  memory?: { sizes: MemoryResult[]; reclaim: ReclaimResult };
  fileStore?: FileStoreResult[];
  outage?: OutageResult[];
  loginTiming?: LoginTimingResult;
  cookieSize?: CookieSizeResult[];
}

/**
 * a's throughput against b's: the median of their ratios run by run, a's run against b's of the
 * same round, in a group both belong to when there is one (there they ran seconds apart), so that
 * a moment when the machine was slower for both does not count against either.
 */
export function ratio(a: CaseResult, b: CaseResult): number {
  const ratios = pairedRatios(a, b);
  return ratios.length > 0 ? median(ratios) : a.requestsPerSecond / b.requestsPerSecond;
}

/** a's run against b's, round by round (in a group both belong to, when there is one). */
export function pairedRatios(a: CaseResult, b: CaseResult): number[] {
  const shared = a.runs.find((r) => b.runs.some((s) => s.block === r.block))?.block;
  return a.runs
    .filter((r) => shared === undefined || r.block === shared)
    .flatMap((r) => {
      const other = b.runs.find((s) => s.round === r.round && (shared === undefined || s.block === shared));
      return other ? [r.requestsPerSecond / other.requestsPerSecond] : [];
    });
}

/**
 * How far a ratio's rounds spread: the quartiles of the paired ratios (lowest and highest with
 * fewer than four rounds), "0.43× (0.38–0.51)". A narrow range is a figure to quote; a wide one
 * says the machine moved more than the comparison.
 */
export function ratioWithSpread(a: CaseResult, b: CaseResult): string {
  const ratios = pairedRatios(a, b).sort((x, y) => x - y);
  if (ratios.length < 2) return `${ratio(a, b).toFixed(2)}×`;
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(q * (ratios.length - 1))))]!;
  const [low, high] = ratios.length < 4 ? [ratios[0]!, ratios.at(-1)!] : [at(0.25), at(0.75)];
  return `${ratio(a, b).toFixed(2)}× (${low.toFixed(2)}–${high.toFixed(2)})`;
}

export function withRatios(results: CaseResult[]): BenchReport['throughput'] {
  return results.map((r) => {
    const baseline = results.find((b) => b.target.startsWith('baseline') && b.path === r.path);
    return { ...r, ratioToBaseline: baseline ? Math.round(ratio(r, baseline) * 100) / 100 : 1 };
  });
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function throughputTable(report: BenchReport): string {
  const rows = [...report.throughput]
    .sort((a, b) => a.path.localeCompare(b.path) || b.requestsPerSecond - a.requestsPerSecond)
    .map((r) => {
      const cpu = (part: string) => (r.cpuMicros[part] === undefined ? '' : r.cpuMicros[part]);
      return [r.path, r.target, r.requestsPerSecond, `${r.ratioToBaseline.toFixed(2)}×`, r.p50Ms, r.p99Ms, r.errors + r.non2xx, cpu('node'), cpu('store'), cpu('balancer'), cpu('load generator')];
    });
  return table(['path', 'case', 'req/s', 'vs baseline', 'p50 ms', 'p99 ms', 'errors', 'node µs', 'store µs', 'nginx µs', 'load µs'], rows);
}

export function memoryTable(report: BenchReport): string {
  return table(
    ['sessions', 'heap B/session', 'RSS B/session', 'sessions per GiB of heap'],
    (report.memory?.sizes ?? []).map((m) => [m.sessions, m.heapBytesPerSession, m.rssBytesPerSession, m.sessionsPerGiBOfHeap]),
  );
}

export function fileStoreTable(report: BenchReport): string {
  return table(
    ['files', 'set p50 ms', 'set p99 ms', 'get p50 ms', 'get p99 ms', 'reaper pass ms'],
    (report.fileStore ?? []).map((f) => [f.files, f.setP50Ms, f.setP99Ms, f.getP50Ms, f.getP99Ms, f.reapMs]),
  );
}

export function cookieSizeTable(report: BenchReport): string {
  return table(
    ['cart lines (longest skus, qty 999)', 'Set-Cookie bytes', 'Cookie header bytes'],
    (report.cookieSize ?? []).map((c) => [c.lines, c.setCookieBytes, c.cookieHeaderBytes]),
  );
}

export function outageTable(report: BenchReport): string {
  return table(
    ['store down', 'requests', 'answers', 'p50 ms', 'max ms', 'healthy again after restart ms'],
    (report.outage ?? []).map((o) => [o.store, o.requests, o.statuses, o.p50Ms, o.maxMs, o.recoveredWithinMs]),
  );
}

function find(report: BenchReport, target: string, path: 'read' | 'write') {
  return report.throughput.find((r) => r.target === target && r.path === path);
}

/** The README's questions, answered from this run's figures. */
export function answers(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const path of ['read', 'write'] as const) {
    const baseline = find(report, 'baseline (no session)', path);
    const direct = ['memory', 'file', 'redis', 'postgres', 'cookie'].flatMap((s) => {
      const node = find(report, `${s} direct`, path);
      return node && baseline ? [`${s} ${ratioWithSpread(node, baseline)}`] : [];
    });
    if (direct.length > 0) lines.push(`- Throughput against the no-session baseline (${path} path, direct to one node; in brackets the middle half of the rounds' ratios): ${direct.join(', ')}.`);
    const memory = find(report, 'memory direct', path);
    const shared = ['file', 'redis', 'postgres', 'cookie'].flatMap((s) => {
      const node = find(report, `${s} direct`, path);
      return node && memory ? [`${s} ${ratioWithSpread(node, memory)}`] : [];
    });
    if (shared.length > 0) lines.push(`- Against MemoryStore (${path} path, direct): ${shared.join(', ')}.`);
    const nginx = ['memory', 'file', 'redis', 'postgres', 'cookie'].flatMap((s) => {
      const [through, node] = [report.throughput.find((r) => r.target.startsWith(`${s} via nginx`) && r.path === path), find(report, `${s} direct`, path)];
      return through && node ? [`${s} ${ratioWithSpread(through, node)}`] : [];
    });
    if (nginx.length > 0) lines.push(`- Through nginx against direct (${path} path): ${nginx.join(', ')}.`);
  }
  for (const path of ['write', 'read'] as const) {
    const modes = ['memory', 'file', 'redis', 'postgres'].flatMap((s) => {
      const atomic = find(report, `${s} direct`, path);
      const inSession = find(report, `${s} direct, cart in session`, path);
      return atomic && inSession ? [`${s} ${atomic.requestsPerSecond} against ${inSession.requestsPerSecond} req/s (${ratio(atomic, inSession).toFixed(2)}×, p50 ${atomic.p50Ms} against ${inSession.p50Ms} ms)`] : [];
    });
    if (modes.length > 0) lines.push(`- Atomic carts (the default) against the cart in the session object (CART_MODE=session), ${path} path, direct to one node: ${modes.join('; ')}.`);
  }
  const ratioList = (of: string, against: string, path: 'read' | 'write') =>
    ['memory', 'file', 'redis', 'postgres'].flatMap((s) => {
      const [a, b] = [find(report, `${s} direct${of}`, path), find(report, `${s} direct${against}`, path)];
      return a && b ? [`${s} ${ratio(a, b).toFixed(2)}× (${a.requestsPerSecond} against ${b.requestsPerSecond} req/s)`] : [];
    });
  const againstPeer = ratioList('', ', plain peer', 'read');
  if (againstPeer.length > 0) lines.push(`- The node against the plain peer (Express + express-session on the same store, touch on every read), read path of a 3-line cart: ${againstPeer.join(', ')}.`);
  const sameTouch = ratioList(', touch on every read', ', plain peer', 'read');
  if (sameTouch.length > 0) lines.push(`- The same with the node touching on every read too (SESSION_TOUCH_AFTER_SECONDS=0), so only the node's own work differs: ${sameTouch.join(', ')}.`);
  const lazy = ratioList('', ', touch on every read', 'read');
  if (lazy.length > 0) lines.push(`- Lazy touch (the default) against touch on every read, read path: ${lazy.join(', ')}.`);
  const cpuAgainstPeer = ['memory', 'file', 'redis', 'postgres'].flatMap((s) => {
    const [node, peer] = [find(report, `${s} direct`, 'read'), find(report, `${s} direct, plain peer`, 'read')];
    if (!node?.cpuMicros.node || !peer?.cpuMicros.node) return [];
    const store = node.cpuMicros.store === undefined ? '' : `; store ${node.cpuMicros.store} against ${peer.cpuMicros.store} µs`;
    return [`${s} ${node.cpuMicros.node} against ${peer.cpuMicros.node} µs (the peer's cost ${(peer.cpuMicros.node / node.cpuMicros.node).toFixed(2)}× the node's${store})`];
  });
  if (cpuAgainstPeer.length > 0) lines.push(`- CPU per request of the node's own process against the plain peer's, read path (what the load generator and the store spend is not in it): ${cpuAgainstPeer.join(', ')}.`);
  const memoryDirect = find(report, 'memory direct', 'read');
  const memoryNginx = find(report, 'memory via nginx, 1 node', 'read');
  if (memoryDirect && memoryNginx) {
    lines.push(
      `- nginx in front of one node (memory store, read path): ${memoryNginx.requestsPerSecond} against ${memoryDirect.requestsPerSecond} req/s direct ` +
        `(${ratio(memoryNginx, memoryDirect).toFixed(2)}×), p50 ${memoryNginx.p50Ms} against ${memoryDirect.p50Ms} ms.`,
    );
  }
  const [firstFiles, lastFiles] = [report.fileStore?.[0], report.fileStore?.at(-1)];
  if (firstFiles && lastFiles) {
    lines.push(
      `- The file store from ${firstFiles.files} to ${lastFiles.files} files: get p50 ${firstFiles.getP50Ms} → ${lastFiles.getP50Ms} ms, ` +
        `set p50 ${firstFiles.setP50Ms} → ${lastFiles.setP50Ms} ms, one reaper pass ${firstFiles.reapMs} → ${lastFiles.reapMs} ms (it reads every file).`,
    );
  }
  const largest = report.memory?.sizes.at(-1);
  if (report.memory && largest) {
    lines.push(
      `- MemoryStore: ${largest.heapBytesPerSession} heap bytes per session at ${largest.sessions} sessions, so about ${largest.sessionsPerGiBOfHeap.toLocaleString('en')} sessions in 1 GiB of heap; ` +
        `expired sessions ${report.memory.reclaim.reclaimed ? 'were' : 'were not'} given back without being read (${report.memory.reclaim.heldAfterExpiry} of ${report.memory.reclaim.sessions} still held ${report.memory.reclaim.ttlSeconds} s past their TTL).`,
    );
  }
  for (const store of ['redis', 'postgres']) {
    const shared = find(report, `${store} direct`, 'read');
    if (shared && memoryDirect) {
      const [node, server, memory] = [shared.cpuMicros.node ?? 0, shared.cpuMicros.store ?? 0, memoryDirect.cpuMicros.node ?? 0];
      const peers = [find(report, `${store} direct, plain peer`, 'read'), find(report, 'memory direct, plain peer', 'read')];
      const peerRatio = peers[0] && peers[1] ? `; the plain peer on ${store} makes ${ratio(peers[0], peers[1]).toFixed(2)}× the peer on memory` : '';
      lines.push(
        `- ${store} against in-process memory (read path, direct): ${ratio(shared, memoryDirect).toFixed(2)}× the throughput, ` +
          `+${Math.round((shared.p50Ms - memoryDirect.p50Ms) * 100) / 100} ms at p50; CPU per request ${node} µs in the node and ${server} µs in ${store} against ${memory} µs ` +
          `(memory's cost ${memory > 0 && node + server > 0 ? (memory / (node + server)).toFixed(2) : '?'}× theirs)${peerRatio}.`,
      );
    }
  }
  const loggedIn = find(report, 'postgres direct, logged in (token check, DB cart)', 'read');
  const anonymous = find(report, 'postgres direct', 'read');
  if (loggedIn && anonymous) {
    lines.push(`- A logged-in read (token check + DB cart) against an anonymous one on the same node: ${ratio(loggedIn, anonymous).toFixed(2)}× the throughput, p50 ${loggedIn.p50Ms} against ${anonymous.p50Ms} ms.`);
  }
  const noPersistence = find(report, 'redis direct', 'write');
  for (const fsync of ['everysec', 'always']) {
    const aof = find(report, `redis (AOF ${fsync}) direct`, 'write');
    if (!noPersistence || !aof) continue;
    lines.push(`- Redis with an append-only file (appendfsync ${fsync}) against no persistence, write path direct: ${aof.requestsPerSecond} against ${noPersistence.requestsPerSecond} req/s (${ratio(aof, noPersistence).toFixed(2)}×), p50 ${aof.p50Ms} against ${noPersistence.p50Ms} ms.`);
  }
  const [emptyCart, fullCart] = [report.cookieSize?.[0], report.cookieSize?.at(-1)];
  if (emptyCart && fullCart && fullCart.lines > emptyCart.lines) {
    const perLine = (fullCart.setCookieBytes - emptyCart.setCookieBytes) / (fullCart.lines - emptyCart.lines);
    lines.push(
      `- The cookie store's Set-Cookie grows from ${emptyCart.setCookieBytes} bytes (empty cart) to ${fullCart.setCookieBytes} at ${fullCart.lines} lines of the longest skus (${perLine.toFixed(0)} bytes per line; a browser keeps at most 4096), ` +
        `and every request carries it back: a ${fullCart.cookieHeaderBytes}-byte Cookie header on each GET.`,
    );
  }
  const t = report.loginTiming;
  if (t) lines.push(`- A failed login takes ${t.wrongPasswordP50Ms} ms at p50 for a wrong password and ${t.unknownUserP50Ms} ms for an unknown user (${t.ratio}×, ${t.samples} each): both pay one scrypt, so timing does not tell which usernames exist.`);
  for (const outage of report.outage ?? []) lines.push(`- With ${outage.store} down a request answers ${outage.statuses} in ${outage.p50Ms} ms at p50 (${outage.maxMs} ms at most).`);
  return lines;
}

export function markdown(report: BenchReport, chartFile?: string): string {
  const m = report.machine;
  const s = report.settings;
  const part = (present: unknown, heading: string, body: () => string[]) => (present ? [`## ${heading}`, '', ...body(), ''] : []);
  return [
    `# session-lab benchmark, ${report.mode} mode, ${report.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB; Node ${m.node}; nginx ${m.nginx}; ${m.redis.split(' sha=')[0]}; ${m.postgres}.`,
    `Load: autocannon on loopback in a process of its own, ${s.connections} connections, ${s.durationSeconds} s or ${s.maxRequests} requests per run, ${s.rounds} round(s) with the cases in a new order each round, medians; ${s.sessionPool} sessions per target and path.`,
    ...(report.groups ? [`Groups: ${report.groups.join(', ')}.`] : []),
    '',
    '## Answers',
    '',
    ...answers(report),
    '',
    ...part(report.throughput.length > 0, 'Throughput and latency', () => [
      'read: `GET /cart` with an existing session; write: `POST /cart/items`. Ratios are against the no-session baseline of the same path. ' +
        "The µs columns are CPU time (user + system, read from /proc) per request of each part: the node (both nodes through nginx), the store's server (PostgreSQL with its backends), nginx, and the load generator.",
      '',
      ...(chartFile ? [`![Throughput against the no-session baseline](${chartFile})`, ''] : []),
      throughputTable(report),
    ]),
    ...part(report.memory, 'MemoryStore', () => [memoryTable(report)]),
    ...part(report.fileStore, 'File store at scale', () => [fileStoreTable(report)]),
    ...part(report.cookieSize, 'The cookie store on the wire', () => [cookieSizeTable(report)]),
    ...part(report.outage, 'A request while the store is down', () => [outageTable(report)]),
  ].join('\n');
}
