import { describe, expect, it } from 'vitest';
import { storeCrashVerdict } from '../../../scenarios/shop/checkers/store-crash.ts';
import { add, fault, history, type OpSketch } from '../../support/histories.ts';

const at = (startedMs: number, endedMs: number): OpSketch => ({ startedMs, endedMs });
const kill: OpSketch = { ...fault('kill', 'redis'), request: 'kill redis', ...at(100, 110) };
const start: OpSketch = { ...fault('start', 'redis'), request: 'start redis', ...at(200, 300) };
const before = [add('apple', 'server_1', [['apple', 1]], at(0, 5)), add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(10, 15))];

describe('storeCrashVerdict', () => {
  it('says no-write-lost when the first cart after the store is back holds every acknowledged add', () => {
    const ops = history(...before, kill, start, add('tea', 'server_1', [['apple', 1], ['bread', 1], ['tea', 1]], at(310, 320)));
    expect(storeCrashVerdict(ops).observed).toBe('no-write-lost');
  });

  describe('when the store came back with an older snapshot', () => {
    const ops = history(...before, kill, start, add('tea', 'server_1', [['apple', 1], ['tea', 1]], at(310, 320)));
    it('says writes-lost', () => expect(storeCrashVerdict(ops).observed).toBe('writes-lost'));
    it('counts the acknowledged adds missing', () => expect(storeCrashVerdict(ops).metrics).toMatchObject({ acknowledgedBeforeFault: 2, lost: 1, sessionsLost: 0 }));
  });

  it('counts a device whose session came back lost', () => {
    const ops = history(...before, kill, start, add('tea', 'server_1', [['tea', 1]], { ...at(310, 320), sessionState: 'lost' }));
    expect(storeCrashVerdict(ops).metrics).toMatchObject({ lost: 2, sessionsLost: 1 });
  });

  it('does not count a write that failed during the outage', () => {
    const ops = history(...before, kill, add('tea', 'server_1', [], { ...at(150, 160), type: 'info', status: 503, cart: undefined }), start, add('jam', 'server_1', [['apple', 1], ['bread', 1], ['jam', 1]], at(310, 320)));
    expect(storeCrashVerdict(ops).observed).toBe('no-write-lost');
  });
});
