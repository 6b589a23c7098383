import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../runner/html-report.ts';
import { formatOutcomes, formatRanges, keepsHistory, repeatWord, summarizeRepeats } from '../../runner/repeat.ts';
import { formatRepeatTable } from '../../runner/report.ts';
import type { ScenarioResult } from '../../runner/scenario.ts';

const result = (name: string, observed: string, metrics: Record<string, unknown>, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  name,
  topology: 'redis-ha-2',
  expected: 'no-write-lost',
  observed,
  passed: observed === 'no-write-lost',
  metrics,
  durationMs: 1000,
  runDir: undefined,
  history: [],
  ...extra,
});

describe('summarizeRepeats', () => {
  const runs = [
    result('failover', 'no-write-lost', { lost: 0, perNode: { server_1: 40 }, fault: 'kill redis' }),
    result('failover', 'writes-lost', { lost: 87, perNode: { server_1: 35 }, fault: 'kill redis' }),
    result('failover', 'no-write-lost', { lost: 0, perNode: { server_1: 52 }, fault: 'kill redis' }),
    result('restart', 'no-write-lost', { lost: 0 }),
  ];
  const [failover, restart] = summarizeRepeats(runs);

  it('counts the runs that observed the expectation', () => expect([failover!.matched, failover!.runs]).toEqual([2, 3]));
  it('counts each outcome observed', () => expect(failover!.outcomes).toEqual({ 'no-write-lost': 2, 'writes-lost': 1 }));
  it('gives each numeric metric its range, nested ones dotted, words left out', () => expect(failover!.metricRanges).toEqual({ lost: [0, 87], 'perNode.server_1': [35, 52] }));
  it('fails a scenario that held in some runs only', () => expect([repeatWord(failover!), repeatWord(restart!)]).toEqual(['FAIL', 'PASS']));
  it('keeps the order in which the scenarios first ran', () => expect(summarizeRepeats(runs).map((s) => s.name)).toEqual(['failover', 'restart']));

  it('says skip, not pass or fail, for a scenario the backend skipped', () => {
    const [skipped] = summarizeRepeats([result('sticky-ip', 'skipped', {}, { passed: false, skipped: 'needs client-addresses: …' })]);
    expect(repeatWord(skipped!)).toBe('SKIP');
  });

  it('reads as k/N, outcomes most frequent first, and ranges', () => {
    expect(formatOutcomes(failover!.outcomes)).toBe('no-write-lost×2 writes-lost×1');
    expect(formatRanges({ lost: [0, 87], devices: [8, 8] })).toBe('lost=0–87 devices=8');
    expect(formatRepeatTable(summarizeRepeats(runs), false).split('\n')[1]).toMatch(/^failover\s+no-write-lost\s+2\/3\s+no-write-lost×2 writes-lost×1\s+FAIL\s+lost=0–87/);
  });

  it('shows the runs column in the HTML report, and a section for each failed run beside the first', () => {
    const html = htmlReport(runs, new Date(0), 'local', summarizeRepeats(runs));
    expect(html).toContain('<td data-runs>2/3</td>');
    expect(html).toContain('id="scenario-failover-run-1"');
    expect(html).toContain('id="scenario-failover-run-2"');
    expect(html).not.toContain('id="scenario-failover-run-3"');
  });
});

describe('keepsHistory', () => {
  it("keeps each scenario's first run and every run that missed, not the later runs that matched", () => {
    const runs = [result('a', 'no-write-lost', {}), result('a', 'writes-lost', {}), result('a', 'no-write-lost', {}), result('b', 'no-write-lost', {})];
    expect(runs.map((_, i) => keepsHistory(runs, i))).toEqual([true, true, false, true]);
  });
});
