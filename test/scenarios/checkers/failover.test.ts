import { describe, expect, it } from 'vitest';
import { asyncFailoverVerdict, boundedSplitBrainVerdict, failoverVerdict, splitBrainVerdict } from '../../../scenarios/shop/checkers/failover.ts';
import { add, fault, history, type OpSketch } from '../../support/histories.ts';

const at = (startedMs: number, endedMs: number): OpSketch => ({ startedMs, endedMs });
const kill: OpSketch = { ...fault('kill', 'redis'), request: 'kill redis', ...at(100, 110) };
const before = [add('apple', 'server_1', [['apple', 1]], at(0, 5)), add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(10, 15))];
const refused: OpSketch = add('jam', 'server_1', [], { ...at(150, 160), type: 'info', status: 503, cart: undefined });

describe('failoverVerdict', () => {
  it('says failed-over-nothing-lost when the first cart after the crash holds every acknowledged add', () => {
    const verdict = failoverVerdict(history(...before, kill, refused, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(400, 410))));
    expect(verdict.observed).toBe('failed-over-nothing-lost');
    expect(verdict.metrics).toMatchObject({ acknowledged: 3, lost: 0, sessionsKept: 1, answered503: 1, msWithoutSuccessfulWrite: 395 });
  });

  it('says failed-over-writes-lost, pointing at the first cart without them, when the promoted replica lacked acknowledged adds', () => {
    const verdict = failoverVerdict(history(...before, kill, add('tea', 'server_2', [['apple', 1], ['tea', 1]], at(400, 410))));
    expect(verdict.observed).toBe('failed-over-writes-lost');
    expect(verdict.metrics).toMatchObject({ lost: 1 });
    expect(verdict.firstBad?.index).toBe(3);
  });

  it('counts neither way an add whose answer was a 503', () => {
    const unknown = add('fig', 'server_1', [], { ...at(20, 30), type: 'info', status: 503, cart: undefined });
    expect(failoverVerdict(history(...before, unknown, kill, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(400, 410)))).observed).toBe('failed-over-nothing-lost');
  });

  it('says not-recovered when no write succeeded after the crash', () => {
    expect(failoverVerdict(history(...before, kill, refused)).observed).toBe('not-recovered');
  });

  it('is inconclusive without a kill', () => {
    expect(failoverVerdict(history(...before)).observed).toBe('inconclusive');
  });
});

describe('asyncFailoverVerdict', () => {
  const pause: OpSketch = { ...fault('pause', 'redis_replica'), request: 'pause redis_replica', ...at(300, 305) };
  const crash: OpSketch = { ...kill, ...at(500, 520) };
  const early = [add('apple', 'server_1', [['apple', 1]], at(0, 5)), add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(10, 15))];
  // Acknowledged by the primary while the replica was stopped.
  const whileLagging = add('fig', 'server_1', [['apple', 1], ['bread', 1], ['fig', 1]], at(400, 410));

  it('says failed-over-within-lag when nothing was lost', () => {
    const ops = history(...early, pause, whileLagging, crash, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['fig', 1], ['tea', 1]], at(900, 910)));
    expect(asyncFailoverVerdict(ops)).toMatchObject({ observed: 'failed-over-within-lag', metrics: { lost: 0, acknowledgedWhileReplicaLagged: 1 } });
  });

  it('says failed-over-within-lag, counting them, when only adds acknowledged while the replica lagged are gone', () => {
    const ops = history(...early, pause, whileLagging, crash, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(900, 910)));
    const verdict = asyncFailoverVerdict(ops);
    expect(verdict).toMatchObject({ observed: 'failed-over-within-lag', metrics: { lost: 1, lostBeyondLag: 0 } });
    expect(verdict.firstBad?.index).toBe(5);
    // The same history fails a failover that must lose nothing.
    expect(failoverVerdict(ops).observed).toBe('failed-over-writes-lost');
  });

  it('says lost-beyond-lag when an add acknowledged before the replica stopped is gone', () => {
    const ops = history(...early, pause, whileLagging, crash, add('tea', 'server_2', [['apple', 1], ['fig', 1], ['tea', 1]], at(900, 910)));
    const verdict = asyncFailoverVerdict(ops);
    expect(verdict).toMatchObject({ observed: 'lost-beyond-lag', metrics: { lost: 1, lostBeyondLag: 1 } });
    expect(verdict.firstBad?.index).toBe(5);
  });

  it('counts an add acknowledged just before the pause as at risk (it may still have been on its way)', () => {
    const justBefore = add('fig', 'server_1', [['apple', 1], ['bread', 1], ['fig', 1]], at(250, 260));
    const ops = history(...early, justBefore, pause, crash, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(900, 910)));
    expect(asyncFailoverVerdict(ops).observed).toBe('failed-over-within-lag');
  });

  it('says not-recovered when no write succeeded after the crash', () => {
    expect(asyncFailoverVerdict(history(...early, pause, crash, refused)).observed).toBe('not-recovered');
  });
});

describe('splitBrainVerdict', () => {
  const cut: OpSketch = { ...fault('partition', 'redis | redis_replica sentinel_1'), args: { target: 'redis | redis_replica sentinel_1' }, request: 'partition redis | redis_replica sentinel_1', ...at(100, 110) };
  const heal: OpSketch = { ...fault('heal', ''), args: { target: '' }, request: 'heal', ...at(900, 905) };
  const early = [add('apple', 'server_1', [['apple', 1]], at(0, 5)), add('bread', 'server_2', [['apple', 1], ['bread', 1]], at(10, 15))];
  // Acknowledged by the cut-off primary before the nodes followed the promoted replica.
  const onTheOldPrimary = add('fig', 'server_1', [['apple', 1], ['bread', 1], ['fig', 1]], at(200, 210));
  const refused: OpSketch = add('jam', 'server_2', [], { ...at(300, 310), type: 'info', status: 503, cart: undefined });

  it('says failed-over-writes-lost, pointing at the cart without it, when what the old primary acknowledged is gone', () => {
    const ops = history(...early, cut, onTheOldPrimary, refused, heal, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(1000, 1010)));
    const verdict = splitBrainVerdict(ops);
    expect(verdict).toMatchObject({ observed: 'failed-over-writes-lost', metrics: { lost: 1, acknowledged: 4, msUntilFirst503: 210 } });
    expect(verdict.firstBad?.index).toBe(6);
  });

  it('says failed-over-nothing-lost when every acknowledged add survived', () => {
    const ops = history(...early, cut, onTheOldPrimary, heal, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['fig', 1], ['tea', 1]], at(1000, 1010)));
    expect(splitBrainVerdict(ops).observed).toBe('failed-over-nothing-lost');
  });

  it('says not-recovered when no write succeeded after the heal, and inconclusive without a partition', () => {
    expect(splitBrainVerdict(history(...early, cut, onTheOldPrimary, heal, refused)).observed).toBe('not-recovered');
    expect(splitBrainVerdict(history(...early)).observed).toBe('inconclusive');
  });

  describe('with a bound (min-replicas-max-lag)', () => {
    const bounded = boundedSplitBrainVerdict(500);
    it('says lost-within-bound when only adds acknowledged within the bound after the cut are gone', () => {
      const ops = history(...early, cut, onTheOldPrimary, heal, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(1000, 1010)));
      expect(bounded(ops)).toMatchObject({ observed: 'lost-within-bound', metrics: { lost: 1, boundMs: 500 } });
    });

    it('says lost-beyond-bound when an add acknowledged after the bound is gone', () => {
      const late = add('kiwi', 'server_1', [['apple', 1], ['bread', 1], ['kiwi', 1]], at(700, 710));
      const ops = history(...early, cut, late, heal, add('tea', 'server_2', [['apple', 1], ['bread', 1], ['tea', 1]], at(1000, 1010)));
      const verdict = bounded(ops);
      expect(verdict.observed).toBe('lost-beyond-bound');
      expect(verdict.firstBad?.index).toBe(5);
    });
  });
});
