// A scenario run N times (`run --repeat N`): how many runs observed the expectation, which
// outcomes were observed how often, and the range of each numeric metric. A verdict that holds in
// some runs only is a finding in itself; this is what tells a stable outcome from a lucky one.
import type { ScenarioResult } from './scenario.ts';

export interface RepeatSummary {
  name: string;
  topology: string;
  expected: string;
  runs: number;
  /** Runs that observed what the scenario expected. */
  matched: number;
  /** Each observed outcome and in how many runs: { "writes-lost": 9, "no-write-lost": 1 }. */
  outcomes: Record<string, number>;
  /** Each numeric metric's lowest and highest value over the runs, nested keys dotted. */
  metricRanges: Record<string, [number, number]>;
  /** Set when the backend could not run it (every run is then skipped). */
  skipped?: string;
}

function numericMetrics(metrics: Record<string, unknown>, prefix = ''): [string, number][] {
  return Object.entries(metrics).flatMap(([key, value]): [string, number][] => {
    if (typeof value === 'number' && Number.isFinite(value)) return [[`${prefix}${key}`, value]];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return numericMetrics(value as Record<string, unknown>, `${prefix}${key}.`);
    return [];
  });
}

/** One summary per scenario, in the order the scenarios first ran. */
export function summarizeRepeats(results: readonly ScenarioResult[]): RepeatSummary[] {
  const byName = new Map<string, ScenarioResult[]>();
  for (const result of results) byName.set(result.name, [...(byName.get(result.name) ?? []), result]);
  return [...byName.values()].map((runs) => {
    const first = runs[0]!;
    const outcomes: Record<string, number> = {};
    for (const run of runs) outcomes[run.observed] = (outcomes[run.observed] ?? 0) + 1;
    const metricRanges: Record<string, [number, number]> = {};
    for (const run of runs) {
      for (const [key, value] of numericMetrics(run.metrics)) {
        const range = metricRanges[key];
        metricRanges[key] = range ? [Math.min(range[0], value), Math.max(range[1], value)] : [value, value];
      }
    }
    return {
      name: first.name,
      topology: first.topology,
      expected: first.expected,
      runs: runs.length,
      matched: runs.filter((run) => run.passed).length,
      outcomes,
      metricRanges,
      ...(first.skipped !== undefined ? { skipped: first.skipped } : {}),
    };
  });
}

/** PASS only when every run observed the expectation; a backend's skip is neither. */
export function repeatWord(summary: RepeatSummary): 'PASS' | 'FAIL' | 'SKIP' {
  if (summary.skipped !== undefined) return 'SKIP';
  return summary.matched === summary.runs ? 'PASS' : 'FAIL';
}

/** "writes-lost×9 no-write-lost×1", most frequent first. */
export function formatOutcomes(outcomes: Record<string, number>): string {
  return Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => `${outcome}×${count}`)
    .join(' ');
}

/** "lost=124–364 devices=8" */
export function formatRanges(ranges: Record<string, [number, number]>): string {
  return Object.entries(ranges)
    .map(([key, [low, high]]) => `${key}=${low === high ? low : `${low}–${high}`}`)
    .join(' ');
}

/**
 * Which runs keep their history in the JSON report: every run of a single run; with --repeat, as
 * in the HTML report, each scenario's first run and every run that missed (the 450 runs of
 * `run all --repeat 10` with every history made 1.7 GB, more than Node can read back as a string).
 */
export function keepsHistory(results: readonly ScenarioResult[], index: number): boolean {
  const result = results[index]!;
  const first = results.findIndex((r) => r.name === result.name);
  return first === index || (!result.passed && result.skipped === undefined);
}
