// npm run bench -- [--quick | --tiny] [--only <group…>] [--rounds N] [--seconds S] [--out DIR]
// What each session strategy costs, measured side by side in one run on this machine: throughput
// and latency per store (and through nginx), MemoryStore bytes per session, the file store as its
// directory fills, and a request while the store is down. Prints tables, writes JSON and Markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { stopAllManaged } from '../runner/processes.ts';
import { projectRoot } from '../runner/topology.ts';
import { parseBenchArgs, usageError } from './args.ts';
import { measureFileStore } from './file-store.ts';
import { allGroups, describeGroups, pickGroups, quickGroups, throughputGroups, type BenchGroup } from './groups.ts';
import { describeMachine } from './machine.ts';
import { measureMemory } from './memory.ts';
import { throughputChart } from './chart.ts';
import { measureCookieSize } from './cookie-size.ts';
import { measureLoginTiming } from './login-timing.ts';
import { measureOutage } from './outage.ts';
import { Progress, estimateSeconds, formatDuration } from './progress.ts';
import { answers, cookieSizeTable, fileStoreTable, markdown, memoryTable, outageTable, throughputTable, withRatios, type BenchReport } from './report.ts';
import { benchSettings } from './settings.ts';
import { measureThroughput, runsPerRound, startRig, type CaseResult } from './throughput.ts';

const usage = 'npm run bench -- [--quick | --tiny] [--only <group,…>] [--rounds N] [--seconds S] [--out DIR]';
const { values } = parseBenchArgs('bench', usage, {
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string', default: join(projectRoot, 'bench', 'results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: ${usage}
  full mode by default (every group, about 14 minutes on 2 cores); --quick measures the groups
  stores and nginx (about 75 s); --tiny only checks that it runs. --only picks groups in any mode;
  --rounds and --seconds change the rounds and each load run's length.
Groups:
${describeGroups()}`);
  process.exit(0);
}
const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
let groups: Set<BenchGroup>;
try {
  groups = pickGroups(values.only, mode === 'quick' ? quickGroups : allGroups);
} catch (err) {
  usageError('bench', usage, (err as Error).message);
}
const positive = (name: string, value: string | undefined, whole: boolean): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n)) || n > 1000) usageError('bench', usage, `--${name} must be ${whole ? 'a whole number from 1' : 'above 0 and at most'} ${whole ? 'to 1000' : '1000'}, not "${value}"`);
  return n;
};
const settings = {
  ...benchSettings[mode],
  ...(values.rounds ? { rounds: positive('rounds', values.rounds, true)! } : {}),
  ...(values.seconds ? { durationSeconds: positive('seconds', values.seconds, false)! } : {}),
};

process.on('SIGINT', () => void stopAllManaged().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAllManaged().then(() => process.exit(143)));

/** Runs one section, saying how long it took (the estimates come from such lines). */
async function section<T>(title: string, work: () => Promise<T>): Promise<T> {
  console.log(`${title}…`);
  const startedAt = performance.now();
  const result = await work();
  console.log(`  (${formatDuration((performance.now() - startedAt) / 1000)})`);
  return result;
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const startedAt = performance.now();
  const machine = describeMachine();
  const chosen = allGroups.filter((g) => groups.has(g));
  console.log(`session-lab benchmark (${settings.mode}): ${machine.cores} cores, Node ${machine.node}, nginx ${machine.nginx}`);
  console.log(`groups: ${chosen.join(', ')}; ${settings.rounds} round(s) of ${settings.durationSeconds} s per case\n`);

  const report: BenchReport = { date, mode: settings.mode, settings, groups: chosen, machine, throughput: [] };
  const throughputChosen = chosen.some((g) => g in throughputGroups);
  // Cookie size, login timing and outages measure on the stores' topologies.
  const onTopologies = groups.has('cookie-size') || groups.has('login-timing') || groups.has('outage');
  if (throughputChosen || onTopologies) {
    const rig = await section('Starting the topologies, the baseline and the nodes beside them', () => startRig(settings, throughputChosen ? groups : new Set(['stores'])));
    try {
      const runs = throughputChosen ? settings.rounds * runsPerRound(rig.targets) : 0;
      const rest = estimateSeconds(settings, 0, groups);
      console.log(`\nThis takes about ${formatDuration(estimateSeconds(settings, runs, groups))} from here: ${runs} load runs of ${settings.durationSeconds} s${rest > 0 ? `, then about ${formatDuration(rest)} for the other sections` : ''}.\n`);
      if (throughputChosen) {
        const progress = new Progress(process.stdout);
        const line = (r: CaseResult) => `${r.path.padEnd(5)} ${r.target.padEnd(52)} ${String(r.requestsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms`;
        report.throughput = withRatios(await measureThroughput(rig, settings, (r, at) => progress.run(line(r), at, rest)));
        progress.done();
      }
      if (groups.has('cookie-size')) report.cookieSize = await section('Cookie size', () => measureCookieSize(rig.targets.find((t) => t.name === 'cookie direct')!.url));
      if (groups.has('login-timing')) report.loginTiming = await section('Login timing', () => measureLoginTiming(rig.topologies['postgres-2']!));
      if (groups.has('outage')) report.outage = await section('Store outages', async () => [await measureOutage('redis', rig.topologies['redis-2']!, settings), await measureOutage('postgres', rig.topologies['postgres-2']!, settings)]);
    } finally {
      await rig.stop();
    }
  }
  if (groups.has('memory')) report.memory = await section('MemoryStore at scale', () => measureMemory(settings));
  if (groups.has('file-store')) report.fileStore = await section('File store at scale', () => measureFileStore(settings));

  const tables = [
    report.throughput.length > 0 ? throughputTable(report) : undefined,
    report.memory ? memoryTable(report) : undefined,
    report.fileStore ? fileStoreTable(report) : undefined,
    report.cookieSize ? cookieSizeTable(report) : undefined,
    report.outage ? outageTable(report) : undefined,
  ].filter(Boolean);
  console.log(`\n${tables.join('\n\n')}\n`);
  console.log(answers(report).join('\n'));
  await mkdir(values.out, { recursive: true });
  const base = join(values.out, `${date.slice(0, 10)}-${settings.mode}`);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, markdown(report, report.throughput.length > 0 ? `${basename(base)}.svg` : undefined));
  if (report.throughput.length > 0) await writeFile(`${base}.svg`, throughputChart(report));
  console.log(`\nwritten: ${relative(process.cwd(), base)}.json, .md${report.throughput.length > 0 ? ' and .svg' : ''} (${formatDuration((performance.now() - startedAt) / 1000)} in all)`);
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    await stopAllManaged();
    console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
