// A scenario is data plus a small script: which topology, what it expects, the steps it drives
// through a Lab, and a checker that reads the history and says what was observed.
import type { RunningTopology } from './backend.ts';
import { History, type Op } from './history.ts';
import { Lab } from './lab.ts';
import { loadTopology, type Topology } from './topology.ts';

export type Metrics = Record<string, unknown>;

export interface Verdict {
  observed: string;
  metrics: Metrics;
}

export interface Scenario {
  name: string;
  /** One sentence: what it shows. */
  summary: string;
  /** A compose file in compose/, without .yml. */
  topology: string;
  /** The outcome it expects to observe. */
  expected: string;
  run(lab: Lab): Promise<void>;
  /** A pure function of the history. */
  check(history: readonly Op[]): Verdict;
}

export interface ScenarioResult {
  name: string;
  topology: string;
  expected: string;
  observed: string;
  passed: boolean;
  metrics: Metrics;
  durationMs: number;
  runDir: string | undefined;
  error?: string;
  history: Op[];
}

export type StartTopology = (topology: Topology) => Promise<RunningTopology>;

export interface RunOptions {
  start: StartTopology;
  onOp?: (op: Op) => void;
  /** Called with the topology while it is up, so that a signal handler can tear it down. */
  onRunning?: (running: RunningTopology | undefined) => void;
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const history = new History(options.onOp);
  let running: RunningTopology | undefined;
  let lab: Lab | undefined;
  let error: string | undefined;
  try {
    running = await options.start(loadTopology(scenario.topology));
    options.onRunning?.(running);
    lab = new Lab(running, history);
    await withTimeout(scenario.run(lab), options.timeoutMs ?? 120_000, `scenario ${scenario.name}`);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    await lab?.close();
    await running?.down();
    options.onRunning?.(undefined);
  }
  const verdict: Verdict = error ? { observed: 'error', metrics: {} } : scenario.check(history.ops);
  return {
    name: scenario.name,
    topology: scenario.topology,
    expected: scenario.expected,
    observed: verdict.observed,
    passed: !error && verdict.observed === scenario.expected,
    metrics: verdict.metrics,
    durationMs: Math.round(performance.now() - startedAt),
    runDir: running?.runDir,
    ...(error ? { error } : {}),
    history: history.ops,
  };
}
