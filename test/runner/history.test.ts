// The history's numbering, and the bound a long-lived recorder (the console) keeps it to.
import { describe, expect, it } from 'vitest';
import { History } from '../../runner/history.ts';

const op = { process: 'd', action: 'request', type: 'ok' as const, startedMs: 0, endedMs: 0 };

describe('History', () => {
  it('numbers ops in order and keeps them all by default', () => {
    const history = new History();
    for (let i = 0; i < 5; i++) history.record(op);
    expect(history.ops.map((o) => o.index)).toEqual([0, 1, 2, 3, 4]);
    expect(history.recorded).toBe(5);
  });

  it('keeps at most keepLast ops, the last ones, and each keeps its number', () => {
    const seen: number[] = [];
    const history = new History((o) => seen.push(o.index), { keepLast: 10 });
    for (let i = 0; i < 1000; i++) history.record(op);
    expect(history.recorded).toBe(1000);
    expect(seen).toHaveLength(1000);
    expect(history.ops.length).toBeGreaterThanOrEqual(5);
    expect(history.ops.length).toBeLessThanOrEqual(10);
    expect(history.ops.at(-1)!.index).toBe(999);
    // Contiguous: only the oldest are dropped.
    expect(history.ops.map((o) => o.index)).toEqual(history.ops.map((_, i) => 1000 - history.ops.length + i));
  });
});
