import { describe, expect, it } from 'vitest';
import { killUnderLoadVerdict } from '../../../scenarios/shop/checkers/kill-under-load.ts';
import { add, fault, history, type OpSketch } from '../../support/histories.ts';

// Times matter here: each sketch sets when it started and ended.
const at = (startedMs: number, endedMs: number): OpSketch => ({ startedMs, endedMs });
const kill: OpSketch = { ...fault('kill', 'server_1'), ...at(100, 110) };
const start: OpSketch = { ...fault('start', 'server_1'), ...at(200, 300) };
const dropped = (startedMs: number, endedMs: number): OpSketch => ({ ...add('tea', 'server_1', [], { type: 'info', status: 502, servedBy: undefined, cart: undefined }), ...at(startedMs, endedMs) });

describe('killUnderLoadVerdict', () => {
  describe('when only the request in flight at the kill failed and nothing was lost', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], at(0, 5)), kill, dropped(95, 112), start, add('bread', 'server_1', [['apple', 1], ['bread', 1]], at(310, 320)));
    it('says no-write-lost', () => expect(killUnderLoadVerdict(ops).observed).toBe('no-write-lost'));
    it('reports the failure and the time until every request succeeds', () => expect(killUnderLoadVerdict(ops).metrics).toMatchObject({ failedInFlightAtKill: 1, failedAfterKill: 0, msUntilAllSucceed: 12 }));
  });

  it('says failures-beyond-kill when a request sent after the kill failed', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], at(0, 5)), kill, dropped(150, 160), start, add('bread', 'server_1', [['apple', 1], ['bread', 1]], at(310, 320)));
    expect(killUnderLoadVerdict(ops).observed).toBe('failures-beyond-kill');
  });

  it('says writes-lost when an answer misses an acknowledged add', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], at(0, 5)), kill, start, add('bread', 'server_1', [['bread', 1]], at(310, 320)));
    expect(killUnderLoadVerdict(ops).observed).toBe('writes-lost');
  });

  it('is inconclusive when the killed node never answered again', () => {
    const ops = history(add('apple', 'server_2', [['apple', 1]], at(0, 5)), kill, start, add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(310, 320)));
    expect(killUnderLoadVerdict(ops).observed).toBe('inconclusive');
  });
});
