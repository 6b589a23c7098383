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
    it('counts the acknowledged adds missing', () => expect(storeCrashVerdict(ops).metrics).toMatchObject({ acknowledged: 3, lost: 1, sessionsLost: 0 }));
  });

  describe('when the fault operation ended long after the store was back', () => {
    // A backend that waits for a health check ends `start` late; the devices meanwhile re-add the
    // skus they lost. The loss still shows, from what the devices observed.
    const slowStart: OpSketch = { ...start, ...at(200, 900) };
    const ops = history(
      ...before,
      kill,
      add('apple', 'server_1', [['apple', 1]], { ...at(400, 410), sessionState: 'lost' }),
      add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(420, 430)),
      slowStart,
      add('tea', 'server_1', [['apple', 1], ['bread', 1], ['tea', 1]], at(950, 960)),
    );
    it('says writes-lost', () => expect(storeCrashVerdict(ops).observed).toBe('writes-lost'));
    it('counts the adds the re-adds cannot hide', () => expect(storeCrashVerdict(ops).metrics).toMatchObject({ acknowledged: 5, lost: 2, sessionsLost: 1 }));
    it('points at the first answer that showed the loss', () => expect(storeCrashVerdict(ops).firstBad).toMatchObject({ index: 3, atMs: 410 }));
  });

  it('counts adds acknowledged after the fault began, before the store was gone', () => {
    // `docker compose kill` lands a few hundred ms after the operation starts.
    const ops = history(...before, kill, add('tea', 'server_1', [['apple', 1], ['bread', 1], ['tea', 1]], at(120, 130)), start, add('jam', 'server_1', [['jam', 1]], { ...at(310, 320), sessionState: 'lost' }));
    expect(storeCrashVerdict(ops).metrics).toMatchObject({ acknowledged: 4, lost: 3 });
  });

  it('counts a device whose session came back lost', () => {
    const ops = history(...before, kill, start, add('tea', 'server_1', [['tea', 1]], { ...at(310, 320), sessionState: 'lost' }));
    expect(storeCrashVerdict(ops).metrics).toMatchObject({ lost: 2, sessionsLost: 1 });
  });

  it('does not count a write that failed during the outage', () => {
    const ops = history(...before, kill, add('tea', 'server_1', [], { ...at(150, 160), type: 'info', status: 503, cart: undefined }), start, add('jam', 'server_1', [['apple', 1], ['bread', 1], ['jam', 1]], at(310, 320)));
    expect(storeCrashVerdict(ops).observed).toBe('no-write-lost');
  });

  describe('with a logged-in device beside an anonymous one', () => {
    const user = { process: 'phone', user: 'ann' } as const;
    const phoneBefore = [add('fig', 'server_2', [['fig', 1]], { ...at(20, 25), ...user }), add('kiwi', 'server_1', [['fig', 1], ['kiwi', 1]], { ...at(30, 35), ...user })];
    const laptopLost = add('tea', 'server_1', [['tea', 1]], { ...at(310, 320), sessionState: 'lost' });

    it('says writes-lost when only the anonymous device lost its adds, and counts the logged-in one apart', () => {
      const ops = history(...before, ...phoneBefore, kill, start, laptopLost, add('jam', 'server_2', [['fig', 1], ['kiwi', 1], ['jam', 1]], { ...at(330, 340), ...user, sessionState: 'lost' }));
      const verdict = storeCrashVerdict(ops);
      expect(verdict.observed).toBe('writes-lost');
      expect(verdict.metrics).toMatchObject({ lost: 2, loggedInDevices: 1, loggedInAcknowledged: 3, loggedInLost: 0 });
    });

    it('says logged-in-writes-lost, pointing at the logged-in device, when a logged-in cart lost adds', () => {
      const phoneLost = add('jam', 'server_2', [['jam', 1]], { ...at(330, 340), ...user });
      const verdict = storeCrashVerdict(history(...before, ...phoneBefore, kill, start, laptopLost, phoneLost));
      expect(verdict.observed).toBe('logged-in-writes-lost');
      expect(verdict.firstBad).toMatchObject({ process: 'phone', index: 7 });
    });
  });
});
