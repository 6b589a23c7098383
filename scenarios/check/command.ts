// `lab check <app-file>`: builds the topologies around the app, checks the round trip on one node
// first (a contract that fails there is the file's fault, said before any verdict), then runs
// every check that applies, through the engine's own runner, and prints a report card.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { htmlReport } from '../../runner/html-report.ts';
import { runsDir } from '../../runner/run-dir.ts';
import { runScenarios, type CheckArgs } from '../../runner/cli.ts';
import { anyOutcome, type Scenario, type ScenarioResult } from '../../runner/scenario.ts';
import { AppFileError, checkStores, readAppFile, type AppFile, type CheckStore } from './app-file.ts';
import { writeAppTopology } from './app-topology.ts';
import { checks, type Check } from './checks.ts';
import type { CheckOp } from './device.ts';
import { loginContractBreak } from './login-verdicts.ts';
import { contractVerdict } from './verdicts.ts';
import { starterAppFile } from './starter.ts';

/** A check asked of what cannot give it (an existing file for --init, a store the file lacks): said like a bad app file. */
class CheckUsageError extends AppFileError {}

function scenarioOf(check: Check, app: AppFile, store: CheckStore, file: string): Scenario<CheckOp> {
  return {
    name: `${check.name} (${store})`,
    summary: check.asks,
    topology: file,
    expected: check.name === 'contract' ? 'holds' : (app.expect[store]?.[check.name] ?? anyOutcome),
    run: (lab) => check.run(lab, app, store),
    check: (history) => check.check(history, app),
  };
}

/** --only: the checks named, in their usual order; a name the lab does not know is an error. */
function checksOf(all: Check[], only: string[] | undefined): Check[] {
  if (only === undefined) return all;
  const unknown = only.filter((name) => !all.some((c) => c.name === name));
  if (unknown.length > 0 || only.length === 0) throw new CheckUsageError(`--only ${only.join(',')}: ${unknown.length > 0 ? `no check ${unknown.join(', ')}; ` : ''}the checks are ${all.map((c) => c.name).join(', ')}`);
  return all.filter((c) => only.includes(c.name));
}

/** What a failed contract found broken: the round trip, the login, or both (what the file has, when the run itself failed). */
function brokenParts(app: AppFile, history: readonly CheckOp[]): string[] {
  const roundTrip = app.roundTrip !== undefined && contractVerdict(history).observed === 'broken';
  const login = app.login !== undefined && loginContractBreak(history) !== undefined;
  const parts = roundTrip || login ? [roundTrip && 'round trip', login && 'login'] : [app.roundTrip && 'round trip', app.login && 'login'];
  return parts.filter((part): part is string => typeof part === 'string');
}

function storesOf(app: AppFile, asked: string | undefined): CheckStore[] {
  const stores = Object.keys(app.stores) as CheckStore[];
  if (asked === undefined) return stores;
  if (!(checkStores as readonly string[]).includes(asked) || !stores.includes(asked as CheckStore)) throw new CheckUsageError(`--store ${asked}: ${app.file} names the stores ${stores.join(', ')}`);
  return [asked as CheckStore];
}

/**
 * The last lines a node of a run wrote (what an app that never got ready said): from the run's
 * directory, or, when its start failed before the run was handed over, the newest of its topology.
 */
function logTail(result: ScenarioResult, node: string, lines = 12): string[] {
  try {
    const topology = basename(result.topology, '.yml');
    const runDir = result.runDir ?? join(runsDir, readdirSync(runsDir).filter((d) => d.endsWith(`-${topology}`)).sort().at(-1) ?? '');
    return readFileSync(join(runDir, 'logs', `${node}.log`), 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

interface CardRow {
  check: Check;
  store: CheckStore;
  result?: ScenarioResult;
  skipped?: string;
}

/** One line per check: the outcome, what was expected, and what it means. */
function printCard(app: AppFile, rows: CardRow[]): void {
  console.log(`\nReport card: ${app.name} (${app.file})\n`);
  for (const { check, store, result, skipped } of rows) {
    const head = `${check.name} (${store})`.padEnd(30);
    if (skipped) {
      console.log(`  –  ${head} skipped: ${skipped}`);
      continue;
    }
    const expected = result!.expected === anyOutcome ? '' : `, expected ${result!.expected}`;
    console.log(`  ${result!.passed ? '✓' : '✗'}  ${head} ${result!.observed}${expected}`);
    if (result!.error) {
      console.log(`       ${result!.error}`);
      for (const line of logTail(result!, 'server_1')) console.log(`       server_1 | ${line}`);
    }
    const lesson = check.lessons[result!.observed];
    if (lesson) console.log(`       ${lesson}`);
    if (result!.firstBad) console.log(`       first bad: #${result!.firstBad.index} ${result!.firstBad.process} ${result!.firstBad.request ?? ''} on ${result!.firstBad.node ?? 'no node'}: expected ${result!.firstBad.expected}, saw ${result!.firstBad.seen}`);
  }
}

/** `lab up --app`: the app's topology on one store (the first it names unless asked), as a compose file. */
export function appTopologyFile(file: string, store: string | undefined, nodes: number): string {
  const app = readAppFile(file);
  return writeAppTopology(app, storesOf(app, store)[0]!, nodes).file;
}

export async function checkApp(args: CheckArgs): Promise<number> {
  if (args.init) {
    if (existsSync(args.file)) throw new CheckUsageError(`${args.file} exists; check --init writes a new file only`);
    writeFileSync(args.file, starterAppFile);
    console.log(`wrote ${args.file}: fill in your app's command, cookie and round trip, then npm run lab -- check ${args.file}`);
    return 0;
  }
  const app = readAppFile(args.file);
  const stores = storesOf(app, args.store);
  const [contract, ...all] = checks;
  const rest = checksOf(all, args.only);
  const startedAt = new Date();
  // Both runs below write their HTML report to .lab/reports/; the one asked for (--html) and the
  // JSON (--json) cover the whole check, written at the end.
  const run = { ...args.run, names: ['all'], htmlFile: undefined, jsonFile: undefined };
  // The contract first, on one node of the first store (the first the login works on, if it
  // names some): nothing else means anything without it.
  const contractStore = stores.find((s) => app.login?.stores?.includes(s) ?? true) ?? stores[0]!;
  const single = writeAppTopology(app, contractStore, 1);
  const first = await runScenarios([scenarioOf(contract!, app, contractStore, single.file)], { ...run, repeat: 1 });
  const contractResult = first.results[0]!;
  if (!contractResult.passed) {
    const card = [{ check: contract!, store: contractStore, result: contractResult }];
    printCard(app, card);
    const parts = brokenParts(app, contractResult.history as CheckOp[]);
    console.log(`\nThe ${parts.join(' and ')} of ${app.file} ${parts.length > 1 ? 'do' : 'does'} not work on one node: fix the file (or the app) first. Each request and its answer are above.`);
    await writeReports(args, app, card, [contractResult], startedAt);
    return 1;
  }
  const rows: { check: Check; store: CheckStore; scenario?: Scenario<CheckOp>; skipped?: string }[] = [];
  for (const store of stores) {
    const files = {
      all: writeAppTopology(app, store, args.nodes).file,
      one: writeAppTopology(app, store, 1).file,
      'own-secrets': writeAppTopology(app, store, args.nodes, 'own-secrets').file,
      tls: writeAppTopology(app, store, 1, 'tls').file,
    };
    for (const check of rest) {
      const skipped = check.skipOn?.(store, app);
      rows.push({ check, store, ...(skipped ? { skipped } : { scenario: scenarioOf(check, app, store, files[check.nodes]) }) });
    }
  }
  const ran = await runScenarios(rows.flatMap((r) => (r.scenario ? [r.scenario] : [])), run);
  const card = [
    { check: contract!, store: contractStore, result: contractResult },
    ...rows.map((r) => ({ check: r.check, store: r.store, ...(r.skipped ? { skipped: r.skipped } : { result: ran.results.findLast((x) => x.name === r.scenario!.name) }) })),
  ];
  printCard(app, card);
  await writeReports(args, app, card, [contractResult, ...ran.results], startedAt);
  return ran.code;
}

/**
 * --json: one entry per check (check, store, outcome, expected, skipped, firstBad, metrics, and
 * with --repeat every run's outcome); --html: `run`'s report of every run of the check.
 */
async function writeReports(args: CheckArgs, app: AppFile, card: CardRow[], results: ScenarioResult[], startedAt: Date): Promise<void> {
  if (args.run.htmlFile) {
    await mkdir(dirname(args.run.htmlFile), { recursive: true });
    await writeFile(args.run.htmlFile, htmlReport(results, startedAt, args.run.backend));
    console.log(`HTML report: ${args.run.htmlFile}`);
  }
  if (!args.run.jsonFile) return;
  const checks = card.map(({ check, store, result, skipped }) => {
    const runs = results.filter((r) => r.name === `${check.name} (${store})`);
    return {
      check: check.name,
      store,
      ...(skipped ? { skipped } : { outcome: result!.observed, expected: result!.expected === anyOutcome ? null : result!.expected, passed: runs.every((r) => r.passed), firstBad: result!.firstBad ?? null, metrics: result!.metrics }),
      ...(runs.length > 1 ? { runs: runs.map((r) => r.observed) } : {}),
      ...(result?.error ? { error: result.error } : {}),
    };
  });
  await mkdir(dirname(args.run.jsonFile), { recursive: true });
  await writeFile(args.run.jsonFile, `${JSON.stringify({ app: app.name, file: app.file, startedAt: startedAt.toISOString(), backend: args.run.backend, checks }, null, 2)}\n`);
  console.log(`report written to ${args.run.jsonFile}`);
}
