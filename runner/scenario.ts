// A scenario is data plus a small script: which topology, what it expects, the steps it drives
// through a Lab, and a checker that reads the history and says what was observed. The engine
// runs it; what the checker says is the verdict, even when the checker itself fails.
import { withTimeout } from '../lib/time.ts';
import type { Capability, MissingCapabilities, RunningTopology } from './backend.ts';
import { History, type Op } from './history.ts';
import { Lab } from './lab.ts';
import { loadTopology, type Topology } from './topology.ts';

export type Metrics = Record<string, unknown>;

/** The operation a verdict turned on: what was expected of it and what it showed. */
export interface FirstBad {
  index: number;
  /** When its answer came, in ms since the run started. */
  atMs: number;
  process: string;
  request: string | undefined;
  node: string | undefined;
  expected: string;
  seen: string;
}

export interface Verdict {
  observed: string;
  metrics: Metrics;
  /** The first operation that shows the verdict's fault (a lost cart, a leaked login), if any. */
  firstBad?: FirstBad;
  /** Every acknowledged write the checker counts as lost (op indexes): the report marks each one. */
  lostWrites?: number[];
  /** Set with observed "checker-error": the checker's own exception. */
  error?: string;
}

/**
 * What a scenario expects when it expects no outcome in particular (a `lab check` without an
 * `expect:`): it passes once it reached a verdict, any but error and inconclusive.
 */
export const anyOutcome = 'any';

function meets(expected: string, observed: string): boolean {
  return expected === anyOutcome ? observed !== 'error' && observed !== 'inconclusive' : observed === expected;
}

export function firstBad(op: Op, expected: string, seen: string): FirstBad {
  return { index: op.index, atMs: op.endedMs, process: op.process, request: op.request, node: op.servedBy, expected, seen };
}

export interface Scenario<O extends Op = Op> {
  name: string;
  /** One sentence: what it shows. */
  summary: string;
  /** A compose file in compose/, without .yml. */
  topology: string;
  /** The outcome it expects to observe. */
  expected: string;
  /** What its point needs of the backend; on a backend that lacks one it is skipped, with the reason. */
  needs?: readonly Capability[];
  /**
   * Why it needs a topology of its own, freshly started (a store's roles as they began, a heap with
   * nothing in it): it never attaches to one someone else started, and runs on its own beside it.
   */
  fresh?: string;
  run(lab: Lab): Promise<void>;
  /** A pure function of the history (the workload's devices recorded its ops as O). */
  check(history: readonly O[]): Verdict;
}

/** The observed outcome when the checker threw: the run goes on, the error is the verdict. */
export const checkerError = 'checker-error';

/** Jepsen's check-safe: a checker's exception becomes a verdict instead of ending the run. */
export function checkSafe(scenario: Scenario, history: readonly Op[]): Verdict {
  try {
    return scenario.check(history);
  } catch (err) {
    return { observed: checkerError, metrics: {}, error: `the checker failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface ScenarioResult {
  name: string;
  topology: string;
  expected: string;
  observed: string;
  passed: boolean;
  metrics: Metrics;
  firstBad?: FirstBad;
  /** As in the Verdict: the acknowledged writes counted as lost. */
  lostWrites?: number[];
  durationMs: number;
  runDir: string | undefined;
  /** Why the run or its checker failed. */
  error?: string;
  /** Why it did not run on this backend (observed is then "skipped"): it could not make its point there. */
  skipped?: string;
  /** Images that stood in for the official ones during the run (compose backend, no registry). */
  standInImages?: readonly string[];
  /** The topology someone else started that the run attached to (and left running as found). */
  attached?: string;
  history: Op[];
}

/** A run's result in one word: a skip is neither a pass nor a failure. */
export function resultWord(result: ScenarioResult): 'PASS' | 'FAIL' | 'SKIP' {
  if (result.skipped !== undefined) return 'SKIP';
  return result.passed ? 'PASS' : 'FAIL';
}

/** The outcome of a scenario that did not run on this backend. */
export const skippedOutcome = 'skipped';

/** How a scenario wants its topology started. */
export interface StartWish {
  /** Why it must not attach to a topology someone else started (see Scenario.fresh, and --fresh). */
  fresh?: string;
}

/** How this scenario's topology is started: of its own when it needs a fresh one or --fresh asked so. */
export function startWish(scenario: Scenario, freshAsked = false): StartWish {
  const fresh = scenario.fresh ?? (freshAsked ? 'asked with --fresh' : undefined);
  return fresh ? { fresh } : {};
}

/** Starts a topology as a scenario needs it (a local run that needs network faults gets namespaces). */
export type StartTopology = (topology: Topology, needs?: readonly Capability[], wish?: StartWish) => Promise<RunningTopology>;

export interface RunOptions {
  start: StartTopology;
  onOp?: (op: Op) => void;
  /** Called with the topology while it is up, so that a signal handler can tear it down. */
  onRunning?: (running: RunningTopology | undefined) => void;
  timeoutMs?: number;
  /** What the backend cannot give, and why: a scenario that needs it is skipped. */
  lacks?: MissingCapabilities;
  /** Never attach (--fresh): every scenario on a topology of its own. */
  fresh?: boolean;
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const missing = scenario.needs?.find((need) => options.lacks?.[need] !== undefined);
  if (missing) {
    const skipped = `needs ${missing}: ${options.lacks![missing]!}`;
    return { name: scenario.name, topology: scenario.topology, expected: scenario.expected, observed: skippedOutcome, passed: false, metrics: {}, durationMs: 0, runDir: undefined, skipped, history: [] };
  }
  const startedAt = performance.now();
  // Its clock starts once the topology is up, so a timeline starts with the scenario's first step.
  let history = new History(options.onOp);
  let running: RunningTopology | undefined;
  let lab: Lab | undefined;
  let runError: string | undefined;
  try {
    running = await options.start(loadTopology(scenario.topology), scenario.needs ?? [], startWish(scenario, options.fresh));
    options.onRunning?.(running);
    history = new History(options.onOp);
    lab = new Lab(running, history);
    await withTimeout(scenario.run(lab), options.timeoutMs ?? 120_000, `scenario ${scenario.name}`);
  } catch (err) {
    runError = err instanceof Error ? err.message : String(err);
  } finally {
    await lab?.close();
    // Attached, down puts back what the faults changed; a failure to do so is the run's error.
    await running?.down().catch((err: unknown) => {
      runError ??= err instanceof Error ? err.message : String(err);
    });
    options.onRunning?.(undefined);
  }
  const verdict: Verdict = runError ? { observed: 'error', metrics: {}, error: runError } : checkSafe(scenario, history.ops);
  return {
    name: scenario.name,
    topology: scenario.topology,
    expected: scenario.expected,
    observed: verdict.observed,
    passed: verdict.error === undefined && meets(scenario.expected, verdict.observed),
    metrics: verdict.metrics,
    ...(verdict.firstBad ? { firstBad: verdict.firstBad } : {}),
    ...(verdict.lostWrites?.length ? { lostWrites: verdict.lostWrites } : {}),
    durationMs: Math.round(performance.now() - startedAt),
    runDir: running?.runDir,
    ...(verdict.error ? { error: verdict.error } : {}),
    ...(running?.standInImages?.length ? { standInImages: running.standInImages } : {}),
    ...(running?.attached ? { attached: running.attached } : {}),
    history: history.ops,
  };
}
