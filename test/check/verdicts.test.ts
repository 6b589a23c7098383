import { describe, expect, it } from 'vitest';
import { checkActions, type CheckOp } from '../../scenarios/check/device.ts';
import { contractVerdict, outageVerdict, sessionVerdict } from '../../scenarios/check/verdicts.ts';

type Sketch = Partial<CheckOp>;
const history = (...sketches: Sketch[]): CheckOp[] => sketches.map((s, index) => ({ process: 'device-1', action: checkActions.read, type: 'ok', startedMs: index * 10, endedMs: index * 10 + 5, sessionState: 'existing', ...s, index }) as CheckOp);
const write = (value: string, extra: Sketch = {}): Sketch => ({ action: checkActions.write, written: value, servedBy: 'server_1', ...extra });
const read = (shown: string[], extra: Sketch = {}): Sketch => ({ action: checkActions.read, shown, servedBy: 'server_2', ...extra });
const fault = (action: string, startedMs: number, endedMs: number): Sketch => ({ process: 'nemesis', action, startedMs, endedMs, request: action });

describe('sessionVerdict', () => {
  it('says kept when every read shows every acknowledged value', () => {
    expect(sessionVerdict(history(write('a'), read(['a']), write('b'), read(['a', 'b']))).observed).toBe('kept');
  });

  it('says lost, with the first read that lacked a value', () => {
    const verdict = sessionVerdict(history(write('a'), read(['a']), write('b'), read(['b'])));
    expect(verdict).toMatchObject({ observed: 'lost', metrics: { readsMissingValues: 1, valuesMissing: 1 }, firstBad: { index: 3 } });
  });

  it('neither keeps nor loses a write that got no answer', () => {
    expect(sessionVerdict(history(write('a'), write('b', { type: 'info', status: 503 }), read(['a']))).observed).toBe('kept');
  });
});

describe('contractVerdict', () => {
  it('holds when the round trip works and the cookie is set', () => {
    expect(contractVerdict(history(write('a', { sessionState: 'new' }), read(['a']))).observed).toBe('holds');
  });

  it('is broken by a failed request, a missing cookie, or a read that does not show the value', () => {
    expect(contractVerdict(history(write('a', { type: 'fail', status: 404 }))).firstBad).toMatchObject({ expected: 'a 2xx or 3xx answer', seen: 'status 404' });
    expect(contractVerdict(history(write('a', { sessionState: 'none' }), read(['a']))).firstBad).toMatchObject({ seen: 'no such cookie in the jar' });
    expect(contractVerdict(history(write('a'), read([]))).observed).toBe('broken');
  });
});

describe('outageVerdict', () => {
  const around = (...during: Sketch[]) => history(write('a'), fault('stop', 100, 110), ...during, fault('start', 2100, 2200), write('z', { startedMs: 2300, endedMs: 2310 }));

  it('says fails-fast when the failures answered at once and writes work again', () => {
    expect(outageVerdict(around(write('b', { type: 'fail', status: 500, startedMs: 200, endedMs: 210 }))).observed).toBe('fails-fast');
  });

  it('says waits when nothing failed but a request was held until the store came back', () => {
    expect(outageVerdict(around(write('b', { startedMs: 200, endedMs: 2250 })))).toMatchObject({ observed: 'waits', metrics: { slowestMs: 2050 } });
  });

  it('judges a pause (the store frozen, then resumed) as it judges a stop', () => {
    const frozen = history(write('a'), fault('pause', 100, 110), write('b', { startedMs: 200, endedMs: 2250 }), fault('resume', 2100, 2200), write('z', { startedMs: 2300, endedMs: 2310 }));
    expect(outageVerdict(frozen).observed).toBe('waits');
  });

  it('says hangs for a request slower than 5 s or with no answer', () => {
    expect(outageVerdict(around(write('b', { type: 'info', error: 'timed out', startedMs: 200, endedMs: 5300 }))).observed).toBe('hangs');
  });

  it('says not-recovered when no write succeeds once the store is back', () => {
    expect(outageVerdict(history(write('a'), fault('stop', 100, 110), fault('start', 2100, 2200), write('z', { type: 'fail', status: 500, startedMs: 2300, endedMs: 2310 }))).observed).toBe('not-recovered');
  });
});
