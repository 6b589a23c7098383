// npm run bench -- [--quick | --tiny] [--out DIR]
// What each session strategy costs, measured side by side in one run on this machine: throughput
// and latency per store (and through nginx), MemoryStore bytes per session, the file store as its
// directory fills, and a request while the store is down. Prints tables, writes JSON and Markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { stopAllManaged } from '../runner/processes.ts';
import { projectRoot } from '../runner/topology.ts';
import { parseBenchArgs } from './args.ts';
import { measureFileStore } from './file-store.ts';
import { describeMachine } from './machine.ts';
import { measureMemory } from './memory.ts';
import { throughputChart } from './chart.ts';
import { measureCookieSize } from './cookie-size.ts';
import { measureLoginTiming } from './login-timing.ts';
import { measureOutage } from './outage.ts';
import { answers, cookieSizeTable, fileStoreTable, markdown, memoryTable, outageTable, throughputTable, withRatios, type BenchReport } from './report.ts';
import { benchSettings } from './settings.ts';
import { measureThroughput, startRig } from './throughput.ts';

const usage = 'npm run bench -- [--quick | --tiny] [--out DIR]';
const { values } = parseBenchArgs('bench', usage, {
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    out: { type: 'string', default: join(projectRoot, 'bench', 'results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: ${usage}\n  full mode by default (about 40 minutes); --quick takes a few minutes; --tiny only checks that it runs`);
  process.exit(0);
}
const settings = benchSettings[values.tiny ? 'tiny' : values.quick ? 'quick' : 'full'];

process.on('SIGINT', () => void stopAllManaged().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAllManaged().then(() => process.exit(143)));

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const machine = describeMachine();
  console.log(`session-lab benchmark (${settings.mode}): ${machine.cores} cores, Node ${machine.node}, nginx ${machine.nginx}\n`);

  console.log('Throughput: starting memory-1, file-1, redis-2, redis-2-aof, postgres-2, cookie-2 and the baseline…');
  const rig = await startRig(settings);
  let report: BenchReport;
  try {
    const throughput = await measureThroughput(rig, settings, (r) =>
      console.log(`  ${r.path.padEnd(5)} ${r.target.padEnd(52)} ${String(r.requestsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms`),
    );
    console.log('Cookie size…');
    const cookieSize = await measureCookieSize(rig.targets.find((t) => t.name === 'cookie direct')!.url);
    console.log('Login timing…');
    const loginTiming = await measureLoginTiming(rig.topologies['postgres-2']!);
    console.log('Store outages…');
    const outage = [await measureOutage('redis', rig.topologies['redis-2']!, settings), await measureOutage('postgres', rig.topologies['postgres-2']!, settings)];
    await rig.stop();
    console.log('MemoryStore at scale…');
    const memory = await measureMemory(settings);
    console.log('File store at scale…');
    const fileStore = await measureFileStore(settings);
    report = { date, mode: settings.mode, settings, machine, throughput: withRatios(throughput), memory, fileStore, outage, loginTiming, cookieSize };
  } finally {
    await rig.stop();
  }

  console.log(`\n${throughputTable(report)}\n\n${memoryTable(report)}\n\n${fileStoreTable(report)}\n\n${cookieSizeTable(report)}\n\n${outageTable(report)}\n`);
  console.log(answers(report).join('\n'));
  await mkdir(values.out, { recursive: true });
  const base = join(values.out, `${date.slice(0, 10)}-${settings.mode}`);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, markdown(report, `${basename(base)}.svg`));
  await writeFile(`${base}.svg`, throughputChart(report));
  console.log(`\nwritten: ${relative(process.cwd(), base)}.json, .md and .svg`);
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    await stopAllManaged();
    console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
