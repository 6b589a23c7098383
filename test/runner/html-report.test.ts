import { describe, expect, it } from 'vitest';
import { timelineSvg, timeTicks } from '../../runner/html-report.ts';
import { add, history } from '../support/histories.ts';

describe('the time axis', () => {
  it.each([
    [250, ['0.00 s', '0.05 s', '0.10 s', '0.15 s', '0.20 s', '0.25 s']],
    [1900, ['0.0 s', '0.5 s', '1.0 s', '1.5 s']],
    [12_000, ['0 s', '2 s', '4 s', '6 s', '8 s', '10 s', '12 s']],
  ])('labels a %i ms timeline at round steps, never the same label twice', (endMs, labels) => {
    const ticks = timeTicks(endMs).map((t) => t.label);
    expect(ticks).toEqual(labels);
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});

describe('the timeline', () => {
  it('rings in red every acknowledged write the checker counts as lost, not only the first bad one', () => {
    const answered = { status: 200 };
    const ops = history(add('apple', 'server_1', [['apple', 1]], answered), add('bread', 'server_2', [['apple', 1], ['bread', 1]], answered), add('tea', 'server_1', [['tea', 1]], answered));
    const svg = timelineSvg(ops, undefined, [0, 1]);
    expect(svg.match(/class="mark lost-write"/g)).toHaveLength(2);
    expect(svg).toMatch(/data-index="0"[^>]*stroke="#dc2626"/);
    expect(svg).not.toMatch(/data-index="2"[^>]*stroke=/);
  });
});
