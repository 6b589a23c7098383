// The engine's verdict plumbing: a checker's exception is a verdict, not a crash.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../runner/history.ts';
import { checkSafe, firstBad, type Scenario } from '../../runner/scenario.ts';

const scenario = (check: Scenario['check']): Scenario => ({ name: 's', summary: '', topology: 'memory-1', expected: 'fine', run: async () => {}, check });
const op: Op = { index: 3, process: 'laptop', action: 'view-cart', type: 'ok', startedMs: 10, endedMs: 12.5, request: 'GET /cart', servedBy: 'server_2' };

describe('checkSafe', () => {
  describe('when the checker throws', () => {
    const verdict = checkSafe(
      scenario(() => {
        throw new Error('no such probe label');
      }),
      [],
    );
    it('observes checker-error', () => expect(verdict.observed).toBe('checker-error'));
    it('keeps the checker’s message', () => expect(verdict.error).toBe('the checker failed: no such probe label'));
  });

  it('passes a checker’s verdict through as it is', () => {
    const verdict = { observed: 'fine', metrics: { n: 1 } };
    expect(checkSafe(scenario(() => verdict), [])).toBe(verdict);
  });
});

describe('firstBad', () => {
  it('names the operation’s index, time, device, request and node with what was expected and seen', () => {
    expect(firstBad(op, 'cart apple×1', 'cart empty')).toEqual({ index: 3, atMs: 12.5, process: 'laptop', request: 'GET /cart', node: 'server_2', expected: 'cart apple×1', seen: 'cart empty' });
  });
});
