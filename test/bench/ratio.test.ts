// The benchmark's ratios on hand-written runs: a's run against b's of the same round, in a group
// both ran in when there is one.
import { describe, expect, it } from 'vitest';
import { ratio } from '../../bench/report.ts';
import type { CaseResult } from '../../bench/throughput.ts';

function result(target: string, runs: [round: number, block: string, rps: number][]): CaseResult {
  const all = runs.map(([round, block, requestsPerSecond]) => ({ round, block, requestsPerSecond }));
  return { target, path: 'read', requestsPerSecond: 0, p50Ms: 1, p99Ms: 1, errors: 0, non2xx: 0, requests: 1, cpuMicros: {}, runs: all };
}

describe('ratio', () => {
  it('pairs runs of the same round in the group both belong to, and takes the median', () => {
    // memory direct ran in its store's group and in the stores' group; redis direct too.
    const memory = result('memory direct', [[0, 'memory', 1000], [0, 'stores', 2000], [1, 'memory', 3000], [1, 'stores', 1000], [2, 'memory', 1000], [2, 'stores', 1500]]);
    const redis = result('redis direct', [[0, 'redis', 100], [0, 'stores', 1800], [1, 'redis', 100], [1, 'stores', 900], [2, 'redis', 100], [2, 'stores', 1200]]);
    // Only the stores' runs count: 0.9, 0.9, 0.8.
    expect(ratio(redis, memory)).toBeCloseTo(0.9);
    const peer = result('memory direct, plain peer', [[0, 'memory', 500], [1, 'memory', 3000], [2, 'memory', 2000]]);
    // Against the memory group's runs only: 2, 1, 0.5.
    expect(ratio(memory, peer)).toBeCloseTo(1);
  });

  it('pairs by round alone when the two share no group', () => {
    const a = result('memory direct, plain peer', [[0, 'memory', 1000], [1, 'memory', 3000], [2, 'memory', 1200]]);
    const b = result('redis direct, plain peer', [[0, 'redis', 500], [1, 'redis', 1000], [2, 'redis', 400]]);
    expect(ratio(a, b)).toBeCloseTo(3);
  });

  it('falls back to the ratio of the medians when no round has both', () => {
    const a = { ...result('a', [[0, 'x', 1000]]), requestsPerSecond: 1000 };
    const b = { ...result('b', [[1, 'y', 500]]), requestsPerSecond: 500 };
    expect(ratio(a, b)).toBe(2);
  });
});
