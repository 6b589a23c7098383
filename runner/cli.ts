// The lab's command line (npm run lab -- list | run <scenario…|all> | up <topology>), handed a
// catalogue of scenarios by the workload's entry point: the engine itself knows no scenario.
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunningTopology } from './backend.ts';
import { findBinary, hasBinary, MissingBinaryError } from './binaries.ts';
import { checkCompose, composeLacks, ComposeUnavailableError, startComposeTopology } from './docker/backend.ts';
import { dockerCommands } from './docker/commands.ts';
import { reapDeadRuns, runningUserProject } from './docker/projects.ts';
import { localLacks, startLocalTopology } from './local/backend.ts';
import { useColor } from './logs.ts';
import { stopAllManaged } from './processes.ts';
import { reapDeadRunners } from './runner-record.ts';
import { formatFirstBad, formatRepeatTable, formatTable, opPrinter, standInImagesOf, standInNotice } from './report.ts';
import { keepsHistory, repeatWord, summarizeRepeats } from './repeat.ts';
import { htmlReport } from './html-report.ts';
import { pruneOld, reportsDir, runsDir, runTimestamp } from './run-dir.ts';
import { k8sYaml } from './k8s.ts';
import { runScenario, type Scenario, type ScenarioResult } from './scenario.ts';
import { TopologyStarter, type Backend } from './topology-starter.ts';
import { attachToUp } from './control/remote.ts';
import { serveControl } from './control/server.ts';
import { liveUpRecord, writeUpRecord } from './control/up-record.ts';
import { listTopologies, loadTopology, projectRoot, TopologyError, type Topology } from './topology.ts';

const usage = `session-lab: what happens to web sessions when one server becomes many

Usage: npm run lab -- <command> [options]

Commands:
  list [--markdown]                 the scenarios and the topologies (--markdown: the scenario
                                    table the README shows)
  run <scenario…|all> [options]     run scenarios, print what each device saw and a verdict table
  up <topology> [options]           run a topology and keep it up; prints the balancer URL
  up --app <app-file> [options]     the same for your own app: its nodes, the store (--store), nginx
  k8s <topology> [options]          print the topology as Kubernetes manifests (kubectl apply -f -)
  check <app-file> [options]        ask the lab's questions of your own app (see docs/check.md);
                                    check --init <app-file> writes a commented starter file

Options:
  --backend local|compose           local processes (default) or docker compose
  --json FILE                       (run) write the whole report, histories included, as JSON (with
                                    --repeat: the first run's and every missed run's)
  --html FILE                       (run) write the HTML report there (always written to .lab/reports/)
  --logs                            (run) also stream every service's log lines (always kept in .lab/runs/)
  --fresh                           (run, up) never attach to a topology someone else keeps up
                                    (docker compose up; lab up in another terminal): start one of
                                    the run's own beside it, and leave theirs alone
  --repeat N                        (run) run each scenario N times (1–100): the table says in how many
                                    runs it observed its expectation (k/N), every outcome seen, and
                                    each metric's range; exit 0 only when every run did
  --store S                         (check, up --app) only this store of the app file's stores
  --nodes N                         (check, up --app) app nodes behind the balancer (default 2)
  --only C,…                        (check) only these checks (after the contract), e.g.
                                    --only session-fixation,logout-replay
  --image NAME                      (k8s) the app image in the cluster (default session-lab:dev)
  --namespace NAME                  (k8s) the namespace (default session-lab-<topology>)
  -h, --help                        this help

Exit code: 0 when every scenario observed what it expected, 1 when one did not, 2 for bad usage.`;

class UsageError extends Error {}

const binariesByKind: Record<Topology['services'][number]['kind'], string[]> = {
  app: [],
  nginx: ['nginx'],
  redis: ['redis-server'],
  sentinel: ['redis-server'],
  postgres: ['postgres', 'initdb'],
  openssl: ['openssl'],
  'cluster-create': ['redis-cli'],
};

/** Fails before anything starts when a binary the topology needs is missing, naming what to install. */
function checkBinaries(topology: Topology): void {
  for (const service of topology.services) for (const binary of binariesByKind[service.kind]) findBinary(binary);
}

function chooseBackend(backend: string, streamLogs: boolean): Backend {
  const terminal = streamLogs ? process.stdout : undefined;
  const notify = (line: string) => console.log(`  · ${line}`);
  if (backend === 'compose') {
    return {
      start: (topology, _needs, wish = {}) => startComposeTopology(topology, { terminal, notify, ...wish }),
      wouldAttach: async (topology) => (await runningUserProject(dockerCommands, topology)) !== undefined,
    };
  }
  if (backend !== 'local') throw new UsageError(`--backend must be local or compose (got "${backend}")`);
  return {
    start: async (topology, needs = [], wish = {}) => {
      const attached = await attachToUp(topology, needs, wish, notify);
      if (attached) return attached;
      checkBinaries(topology);
      return startLocalTopology(topology, { terminal, isolatedNetwork: needs.includes('network-faults') });
    },
    wouldAttach: async (topology) => liveUpRecord(topology.name) !== undefined,
  };
}

/** The scenarios with those of one topology together, each group where its first one stood. */
export function groupedByTopology(scenarios: readonly Scenario[]): Scenario[] {
  const topologies = [...new Set(scenarios.map((s) => s.topology))];
  return topologies.flatMap((topology) => scenarios.filter((s) => s.topology === topology));
}

function pickScenarios(scenarios: readonly Scenario[], names: string[]): Scenario[] {
  if (names.length === 0) throw new UsageError('run needs scenario names or "all"; see `npm run lab -- list`');
  if (names.includes('all')) return [...scenarios];
  return names.map((name) => {
    const found = scenarios.find((s) => s.name === name);
    if (!found) throw new UsageError(`unknown scenario "${name}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
    return found;
  });
}

/** Ctrl-C and SIGTERM tear the topologies down before exiting; a second signal stops waiting. */
function onSignals(getRunning: () => (RunningTopology | Promise<RunningTopology> | undefined)[]): void {
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) process.exit(code);
    stopping = true;
    process.stderr.write('\nstopping every service…\n');
    void (async () => {
      await Promise.all(getRunning().map(async (running) => (await running)?.down().catch(() => {})));
      await stopAllManaged();
      process.exit(code);
    })();
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
}

/**
 * The catalogue as a Markdown table (`list --markdown`): the README shows it, and a test fails
 * when the committed table differs from what the catalogue says.
 */
export function catalogueMarkdown(scenarios: readonly Scenario[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = scenarios.map((s) => {
    const needs = s.needs?.length ? ` (needs ${s.needs.join(', ')})` : '';
    return `| [${s.name}](docs/scenarios.md#${s.name}) | ${s.topology} | ${s.expected} | ${cell(s.summary)}${needs} |`;
  });
  return ['| scenario | topology | expects | what it shows |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function list(scenarios: readonly Scenario[], markdown: boolean): void {
  if (markdown) {
    console.log(catalogueMarkdown(scenarios));
    return;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  console.log('Scenarios (npm run lab -- run <name>):');
  for (const s of scenarios) {
    const needs = s.needs?.length ? `, needs ${s.needs.join(', ')}` : '';
    const fresh = s.fresh ? `, fresh: ${s.fresh}` : '';
    console.log(`  ${s.name.padEnd(width)}  [${s.topology}, expects ${s.expected}${needs}${fresh}] ${s.summary}`);
  }
  console.log('\nTopologies (npm run lab -- up <name>; compose/<name>.yml):');
  for (const name of listTopologies()) {
    const services = loadTopology(name).services.map((s) => (s.spare ? `${s.name} (spare)` : s.name));
    console.log(`  ${name.padEnd(width)}  ${services.join(', ')}`);
  }
}

/**
 * The JSON report, written one scenario at a time: a repeated run's histories together exceed
 * what one JSON.stringify can hold (350 runs of `run all --repeat 10` did).
 */
async function writeJsonReport(file: string, head: Record<string, unknown>, results: readonly ScenarioResult[]): Promise<void> {
  const out = await open(file, 'w');
  try {
    const opening = JSON.stringify({ ...head, scenarios: [] }, null, 2);
    await out.write(`${opening.slice(0, opening.lastIndexOf('[') + 1)}\n`);
    for (const [i, full] of results.entries()) {
      const { history, ...rest } = full;
      const result = keepsHistory(results, i) ? full : { ...rest, historyOmitted: history.length };
      const indented = JSON.stringify(result, null, 2).replace(/\n/g, '\n    ');
      await out.write(`    ${indented}${i < results.length - 1 ? ',' : ''}\n`);
    }
    await out.write('  ]\n}\n');
  } finally {
    await out.close();
  }
}

function parseRepeat(value: string | undefined): number {
  if (value === undefined) return 1;
  const repeat = Number(value);
  if (!/^\d+$/.test(value) || repeat < 1 || repeat > 100) throw new UsageError(`--repeat must be a whole number from 1 to 100 (got "${value}")`);
  return repeat;
}

export interface RunArgs {
  names: string[];
  backend: string;
  jsonFile: string | undefined;
  htmlFile: string | undefined;
  streamLogs: boolean;
  repeat: number;
  fresh: boolean;
}

/**
 * What runners killed with -9 left: their local processes the kernel did not end (the second line
 * behind it), and their compose projects, which cannot die with them. Said in one line each.
 */
async function reapKilledRuns(): Promise<void> {
  const ended = reapDeadRunners();
  if (ended.length > 0) console.log(`ended ${ended.length} processes that killed lab runs left running (${[...new Set(ended)].join(', ')})`);
  if (!hasBinary('docker')) return;
  // No engine answering is not this command's problem unless it runs under compose (checked there).
  const projects = await reapDeadRuns(dockerCommands).catch(() => []);
  if (projects.length > 0) console.log(`removed the compose projects that killed lab runs left (${projects.join(', ')}), with their volumes and networks`);
}

async function run(scenarios: readonly Scenario[], args: RunArgs): Promise<number> {
  return (await runScenarios(scenarios, args)).code;
}

/**
 * Runs the named scenarios (or all) as `lab run` does: each one's steps, the verdict table, the
 * JSON and HTML reports; the exit code (0 when every verdict matched) and the results.
 */
export async function runScenarios(scenarios: readonly Scenario[], { names, backend, jsonFile, htmlFile, streamLogs, repeat, fresh }: RunArgs): Promise<{ code: number; results: ScenarioResult[] }> {
  await reapKilledRuns();
  // Each scenario's runs one after the other, so that a topology started ahead is the same one.
  // Under compose `all` runs the scenarios of one topology one after the other, so that they can
  // share its start (see TopologyStarter).
  const picked = pickScenarios(scenarios, names);
  const ordered = backend === 'compose' && names.includes('all') ? groupedByTopology(picked) : picked;
  const chosen = ordered.flatMap((scenario) => Array<Scenario>(repeat).fill(scenario));
  const chosenBackend = chooseBackend(backend, streamLogs);
  if (backend === 'compose') await checkCompose();
  const lacks = backend === 'compose' ? composeLacks() : localLacks();
  const color = useColor(process.stdout);
  let running: RunningTopology | undefined;
  const starter = new TopologyStarter(chosenBackend, chosen, lacks, fresh, backend === 'compose');
  onSignals(() => [running, ...starter.held]);
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of chosen.entries()) {
    const runNumber = repeat > 1 ? ` [run ${(index % repeat) + 1}/${repeat}]` : '';
    console.log(`\n▶ ${scenario.name}${runNumber} (${scenario.topology}): ${scenario.summary}`);
    const printer = opPrinter((line) => console.log(line));
    const result = await runScenario(scenario, {
      start: starter.for(index),
      lacks,
      fresh,
      onOp: printer.onOp,
      onRunning: (r) => {
        running = r;
        if (r?.attached) console.log(`  · attached to ${r.attached} at ${r.balancerUrl}: its logs show this scenario's requests`);
        if (r) console.log(`  · Logs and data: ${relative(projectRoot, r.runDir)}`);
      },
    });
    printer.done();
    if (result.attached) console.log(`  · attached to ${result.attached}; left running as found`);
    if (result.skipped) {
      console.log(`  – skipped on the ${backend} backend: ${result.skipped}`);
      results.push(result);
      continue;
    }
    if (result.error) console.log(`  ✗ ${result.error}`);
    console.log(`  ${result.passed ? '✓' : '✗'} expected ${result.expected}, observed ${result.observed} (${(result.durationMs / 1000).toFixed(1)} s)`);
    if (result.firstBad) console.log(`  ${result.passed ? '·' : '✗'} first bad operation ${formatFirstBad(result.firstBad)}`);
    results.push(result);
  }
  await starter.close();
  const summaries = summarizeRepeats(results);
  console.log(`\n${repeat > 1 ? formatRepeatTable(summaries, color) : formatTable(results, color)}`);
  const held = summaries.filter((s) => repeatWord(s) === 'PASS').length;
  const skipped = summaries.filter((s) => s.skipped !== undefined).length;
  const totalMs = Date.now() - startedAt.getTime();
  const ran = summaries.length - skipped;
  const every = repeat > 1 ? ` in every one of ${repeat} runs` : '';
  console.log(`\n${held} of ${ran} scenarios observed what they expected${every}${skipped ? ` (${skipped} skipped: they cannot make their point on the ${backend} backend)` : ''} in ${(totalMs / 1000).toFixed(1)} s; service logs in ${relative(projectRoot, runsDir)}/`);
  const standIns = standInNotice(results);
  if (standIns) console.log(standIns);
  if (!htmlFile) await pruneOld(reportsDir);
  const htmlPath = htmlFile ?? join(reportsDir, `${runTimestamp(startedAt)}.html`);
  await mkdir(dirname(htmlPath), { recursive: true });
  await writeFile(htmlPath, htmlReport(results, startedAt, backend, repeat > 1 ? summaries : undefined));
  console.log(`HTML report: ${htmlFile ?? relative(process.cwd(), htmlPath)}`);
  if (jsonFile) {
    const standInImages = standInImagesOf(results);
    const repeated = repeat > 1 ? { repeat, summary: summaries } : {};
    const report = { startedAt: startedAt.toISOString(), durationMs: totalMs, backend, ...(standInImages.length ? { standInImages } : {}), ...repeated };
    await writeJsonReport(jsonFile, report, results);
    console.log(`report written to ${jsonFile}`);
  }
  return { code: held === ran ? 0 : 1, results };
}

/** What the workload serves beside a topology that is up (the shop's console); prints nothing itself. */
export type StartConsole = (running: RunningTopology) => Promise<{ url: string; close(): Promise<void> }>;

async function up(name: string | undefined, backend: string, fresh: boolean, startConsole?: StartConsole): Promise<number> {
  if (!name) throw new UsageError(`up needs a topology: ${listTopologies().join(', ')}`);
  const topology = loadTopology(name);
  await reapKilledRuns();
  const { start } = chooseBackend(backend, true);
  if (backend === 'compose') await checkCompose();
  // A signal during start-up finds no topology yet; stopAllManaged then stops what has started.
  const up: { running?: RunningTopology } = {};
  onSignals(() => [up.running]);
  const running = (up.running = await start(topology, [], fresh ? { fresh: 'asked with --fresh' } : {}));
  // Locally, a lab run in another terminal attaches to this topology through its control server.
  if (backend === 'local' && !running.attached) writeUpRecord(running, (await serveControl(running)).url);
  if (running.attached) console.log(`\nattached to ${running.attached}. Balancer: ${running.balancerUrl}`);
  else console.log(`\n${topology.name} is up. Balancer: ${running.balancerUrl}`);
  const served = await startConsole?.(running);
  if (served) console.log(`console: ${served.url}`);
  console.log(`Logs and data: ${relative(projectRoot, running.runDir)}`);
  if (running.standInImages?.length) console.log(`Running on stand-in images: ${running.standInImages.join(', ')} (built from Debian packages by npm run setup:docker)`);
  const onCtrlC = running.attached
    ? 'Ctrl-C puts back what faults changed and leaves it running as found'
    : 'Ctrl-C stops everything (under compose: every container, volume and network of the project)';
  console.log(`Open it in a browser and reload: the serving node changes. ${onCtrlC}.`);
  if (backend === 'local' && !running.attached) console.log(`A lab run of ${topology.name} in another terminal runs against it, and its requests show here.`);
  console.log('');
  await new Promise<never>(() => {});
  return 0;
}

async function main(scenarios: readonly Scenario[], argv: string[], options: LabOptions): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string', default: 'local' },
      json: { type: 'string' },
      html: { type: 'string' },
      logs: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      repeat: { type: 'string' },
      image: { type: 'string', default: 'session-lab:dev' },
      store: { type: 'string' },
      nodes: { type: 'string' },
      init: { type: 'boolean', default: false },
      only: { type: 'string' },
      app: { type: 'string' },
      namespace: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'list':
      list(scenarios, values.markdown);
      return 0;
    case 'run':
      return run(scenarios, { names: rest, backend: values.backend, jsonFile: values.json, htmlFile: values.html, streamLogs: values.logs, repeat: parseRepeat(values.repeat), fresh: values.fresh });
    case 'up': {
      if (values.app === undefined) return up(rest[0], values.backend, values.fresh, options.console);
      if (!options.appTopology) throw new UsageError('this lab has no app files');
      const nodes = values.nodes === undefined ? 2 : Number(values.nodes);
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > 8) throw new UsageError(`--nodes must be an integer from 1 to 8 (got "${values.nodes}")`);
      return up(options.appTopology(values.app, values.store, nodes), values.backend, values.fresh, options.console);
    }
    case 'k8s': {
      if (!rest[0]) throw new UsageError(`k8s needs a topology: ${listTopologies().join(', ')}`);
      const topology = loadTopology(rest[0]);
      const namespace = values.namespace ?? `session-lab-${topology.name}`;
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) throw new UsageError(`--namespace must be a DNS label: lower-case letters, digits and "-" (got "${namespace}")`);
      process.stdout.write(k8sYaml(topology, { image: values.image, namespace }));
      return 0;
    }
    case 'check': {
      if (!options.check) throw new UsageError('this lab has no check command');
      if (!rest[0]) throw new UsageError('check needs an app file (check --init <file> writes a starter one)');
      const nodes = values.nodes === undefined ? 2 : Number(values.nodes);
      if (!Number.isInteger(nodes) || nodes < 2 || nodes > 8) throw new UsageError(`--nodes must be an integer from 2 to 8 (got "${values.nodes}")`);
      return options.check({
        file: rest[0],
        init: values.init,
        store: values.store,
        nodes,
        only: values.only?.split(',').map((name) => name.trim()).filter(Boolean),
        run: { names: [], backend: values.backend, jsonFile: values.json, htmlFile: values.html, streamLogs: values.logs, repeat: parseRepeat(values.repeat), fresh: values.fresh },
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"; commands: list, run, up, k8s, check`);
  }
}

/** What `lab check` was asked: the app file, which store, how many nodes, and `run`'s own options. */
export interface CheckArgs {
  file: string;
  init: boolean;
  store: string | undefined;
  nodes: number;
  /** --only: these checks alone (after the contract); every check when undefined. */
  only: string[] | undefined;
  run: RunArgs;
}

export interface LabOptions {
  /** Served by `lab up` beside the topology, its URL printed as `console: <url>`. */
  console?: StartConsole;
  /** `lab check`: the workload that asks its questions of any app. */
  check?: (args: CheckArgs) => Promise<number>;
  /** `lab up --app`: writes the topology of an app file (store, nodes) and returns its compose file. */
  appTopology?: (appFile: string, store: string | undefined, nodes: number) => string;
}

/** Runs the command line over this catalogue and exits with its code. */
export function runLab(scenarios: readonly Scenario[], options: LabOptions = {}, argv = process.argv.slice(2)): void {
  main(scenarios, argv, options).then(
    async (code) => {
      await stopAllManaged();
      process.exit(code);
    },
    async (err: unknown) => {
      await stopAllManaged();
      const known =
        err instanceof UsageError ||
        err instanceof MissingBinaryError ||
        err instanceof TopologyError ||
        // A bad app file (lab check, up --app): the workload's error, known by its name.
        (err as { name?: string }).name === 'AppFileError' ||
        err instanceof ComposeUnavailableError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`session-lab: ${err instanceof Error ? (known ? err.message : err.stack) : String(err)}\n`);
      process.exit(known ? 2 : 1);
    },
  );
}
