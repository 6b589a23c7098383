import { describe, expect, it } from 'vitest';
import { outageVerdict } from '../../../scenarios/shop/checkers/outage.ts';
import { add, fault, history, type OpSketch } from '../../support/histories.ts';

const at = (startedMs: number, endedMs: number): OpSketch => ({ startedMs, endedMs });
const down: OpSketch = { ...fault('pause', 'redis'), ...at(100, 101) };
const up: OpSketch = { ...fault('resume', 'redis'), ...at(3100, 3101) };
const unavailable = (startedMs: number, endedMs: number): OpSketch => ({ ...add('tea', 'server_1', [], { type: 'info', status: 503, cart: undefined }), ...at(startedMs, endedMs) });
const before = add('apple', 'server_1', [['apple', 1]], at(0, 5));
const after = add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(3200, 3210));

describe('outageVerdict', () => {
  describe('when requests failed with 503 within a second and succeeded again after the store returned', () => {
    const ops = history(before, down, unavailable(200, 1200), up, after);
    it('says failed-fast-and-recovered', () => expect(outageVerdict(ops).observed).toBe('failed-fast-and-recovered'));
    it('reports the 503s and the slowest answer', () => expect(outageVerdict(ops).metrics).toMatchObject({ answered503: 1, slowestMs: 1000, succeededAfterRecovery: 1 }));
  });

  it('says hung when an answer took longer than the limit', () => {
    expect(outageVerdict(history(before, down, unavailable(200, 2600), up, after)).observed).toBe('hung');
  });

  it('says not-failed-fast when a request failed otherwise than with a 503', () => {
    expect(outageVerdict(history(before, down, { ...unavailable(200, 300), status: 502 }, up, after)).observed).toBe('not-failed-fast');
  });

  it('says not-recovered when nothing succeeded after the last failure', () => {
    expect(outageVerdict(history(before, down, unavailable(200, 1200), up, unavailable(3200, 3300))).observed).toBe('not-recovered');
  });

  it('says writes-lost when an answer misses an acknowledged add', () => {
    expect(outageVerdict(history(before, down, unavailable(200, 1200), up, add('bread', 'server_2', [['bread', 1]], at(3200, 3210)))).observed).toBe('writes-lost');
  });
});
