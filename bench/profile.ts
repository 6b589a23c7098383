// npm run bench:profile -- [--store memory|file|redis|postgres] [--path read|write] [--runs N] [--seconds S] [--out DIR]
// Where the node spends its CPU against the plain peer (Express + express-session on the same
// store), side by side: both run under V8's CPU profiler beside a topology's server_1, take the
// same load in short runs, alternating (node, peer, then peer, node, …), and the profiles of the
// moments under load are summed by part (npm package, Node module, own code, garbage collector,
// system calls) per request. Prints a table; the .cpuprofile files are kept for Chrome DevTools.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { median } from '../lib/stats.ts';
import { startLocalTopology, type LocalTopology } from '../runner/local/backend.ts';
import { stopAllManaged } from '../runner/processes.ts';
import { loadTopology, projectRoot } from '../runner/topology.ts';
import { parseBenchArgs, usageError } from './args.ts';
import { startBeside, type Beside } from './beside.ts';
import { timeByPart, type CpuProfile, type Window } from './cpu-profile.ts';
import { sessionPool, type Identities } from './identities.ts';
import { LoadGenerator } from './load-generator.ts';
import { listeners, perRequestMicros, readGroups } from './process-cpu.ts';

const topologyOf = { memory: 'memory-1', file: 'file-1', redis: 'redis-2', postgres: 'postgres-2' } as const;
type Store = keyof typeof topologyOf;

const usage = 'npm run bench:profile -- [--store memory|file|redis|postgres] [--path read|write] [--runs N] [--seconds S] [--out DIR]';
const { values } = parseBenchArgs('bench:profile', usage, {
  options: {
    store: { type: 'string', default: 'memory' },
    path: { type: 'string', default: 'read' },
    runs: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '1' },
    out: { type: 'string', default: join(projectRoot, '.lab', 'profiles') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: ${usage}\n  defaults: memory, read, 20 runs of 1 s for each side`);
  process.exit(0);
}
const fail = (message: string) => usageError('bench:profile', usage, message);
if (!Object.hasOwn(topologyOf, values.store)) fail(`--store must be one of ${Object.keys(topologyOf).join(', ')}, not "${values.store}"`);
if (values.path !== 'read' && values.path !== 'write') fail(`--path must be read or write, not "${values.path}"`);
const runs = Number(values.runs);
const seconds = Number(values.seconds);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000) fail(`--runs must be a whole number from 1 to 1000, not "${values.runs}"`);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) fail(`--seconds must be above 0 and at most 60, not "${values.seconds}"`);
const store = values.store as Store;
const path = values.path as 'read' | 'write';

process.on('SIGINT', () => void stopAllManaged().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAllManaged().then(() => process.exit(143)));

interface Side {
  name: 'node' | 'peer';
  beside: Beside;
  profileDir: string;
  identities: Identities;
  windows: Window[];
  requests: number;
  perRun: number[];
  processCpuMicros: number[];
}

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/** The profile of a process's main thread (tsx's loader hooks run on a thread of their own). */
async function mainThreadProfile(dir: string): Promise<CpuProfile> {
  // CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile
  const name = (await readdir(dir)).find((n) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(n));
  if (!name) throw new Error(`no main-thread CPU profile was written to ${dir}`);
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const out = join(values.out, new Date().toISOString().replace(/[:.]/g, '-'));
  console.log(`Profiling the node against the plain peer: ${store} store, ${path} path, ${runs} runs of ${seconds} s each, alternating.`);
  const topology: LocalTopology = await startLocalTopology(loadTopology(topologyOf[store]));
  const sides: Side[] = [];
  let loadGenerator: LoadGenerator | undefined;
  try {
    for (const name of ['node', 'peer'] as const) {
      const profileDir = join(out, name);
      await mkdir(profileDir, { recursive: true });
      const beside = await startBeside(topology, `profile ${name}`, {}, { peer: name === 'peer', nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
      sides.push({ name, beside, profileDir, identities: [], windows: [], requests: 0, perRun: [], processCpuMicros: [] });
    }
    for (const side of sides) side.identities = await sessionPool(side.beside.url, 200);
    loadGenerator = await LoadGenerator.start();
    const run = async (side: Side, round: number, counted: boolean) => {
      const groups = { process: listeners(side.beside.port) };
      const before = readGroups(groups);
      const startMicros = nowMicros();
      const outcome = await loadGenerator!.run({
        url: side.beside.url,
        path,
        identities: side.identities,
        skuPrefix: `profile-${round % 4}`,
        connections: 16,
        durationSeconds: seconds,
        maxRequests: 1_000_000,
      });
      const endMicros = nowMicros();
      if (outcome.errors + outcome.non2xx > 0) throw new Error(`${side.name}: ${outcome.errors} errors and ${outcome.non2xx} answers other than 2xx in a run`);
      if (!counted) return;
      side.windows.push({ startMicros, endMicros });
      side.requests += outcome.requests;
      side.perRun.push(outcome.requests / (outcome.elapsedMs / 1000));
      side.processCpuMicros.push(perRequestMicros(before, readGroups(groups), outcome.requests).process ?? 0);
    };
    // A warm-up run each (JIT, connections), not counted.
    for (const side of sides) await run(side, 0, false);
    for (let round = 0; round < runs; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await run(side, round, true);
    }
  } finally {
    await loadGenerator?.stop();
    // A node and the peer write their profiles as they exit.
    await Promise.all(sides.map((side) => side.beside.stop()));
    await topology.down();
  }

  const [node, peer] = sides as [Side, Side];
  const byPart = await Promise.all(sides.map(async (side) => timeByPart(await mainThreadProfile(side.profileDir), side.windows)));
  const perRequest = (side: number, part: string) => (byPart[side]!.get(part) ?? 0) / sides[side]!.requests;
  const parts = [...new Set(byPart.flatMap((m) => [...m.keys()]))].sort((a, b) => perRequest(0, b) + perRequest(1, b) - perRequest(0, a) - perRequest(1, a));
  const shown = parts.slice(0, 16);
  const rest = parts.slice(16);
  const fmt = (micros: number) => micros.toFixed(1);
  const sum = (side: number, names: string[]) => names.reduce((total, part) => total + perRequest(side, part), 0);
  const rows = shown.map((part) => [part, fmt(perRequest(0, part)), fmt(perRequest(1, part)), fmt(perRequest(0, part) - perRequest(1, part))]);
  if (rest.length > 0) rows.push([`${rest.length} other parts`, fmt(sum(0, rest)), fmt(sum(1, rest)), fmt(sum(0, rest) - sum(1, rest))]);
  rows.push(['total', fmt(sum(0, parts)), fmt(sum(1, parts)), fmt(sum(0, parts) - sum(1, parts))]);

  const pairRatios = node.perRun.map((value, i) => value / peer.perRun[i]!);
  console.log(`\nThroughput, median of ${runs} runs: node ${Math.round(median(node.perRun))} req/s, peer ${Math.round(median(peer.perRun))} req/s; node against peer, median of the pairs: ${median(pairRatios).toFixed(2)}× (pairs from ${Math.min(...pairRatios).toFixed(2)} to ${Math.max(...pairRatios).toFixed(2)}).`);
  console.log(`CPU per request from /proc, median of the runs: node ${Math.round(median(node.processCpuMicros))} µs, peer ${Math.round(median(peer.processCpuMicros))} µs (the profiler's own cost included).`);
  console.log(`\nCPU per request by part, from the profiles of the moments under load (µs; V8 samples, so a part under ~1 µs is noise):\n`);
  console.log(table(['part', 'node', 'peer', 'node − peer'], rows));
  console.log(`\nProfiles (open in Chrome DevTools, Performance): ${relative(process.cwd(), out)}/{node,peer}/`);
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    await stopAllManaged();
    console.error(`bench:profile: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
