import { describe, expect, it } from 'vitest';
import { expiryVerdict } from '../../../scenarios/shop/checkers/expiry.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

// Ops at given times (ms): an add whose cookie is valid for 4 s, then reads.
const at = (ms: number, op: OpSketch): OpSketch => ({ ...op, startedMs: ms, endedMs: ms + 5 });
const addAt = (ms: number) => at(ms, add('apple', 'server_1', [['apple', 1]], { process: 'browser', cookieExpiresInSeconds: 4, sessionState: 'new' }));
const readAt = (ms: number, state: 'existing' | 'lost', cookieExpiresInSeconds?: number) =>
  at(ms, viewCart('server_2', state === 'existing' ? [['apple', 1]] : [], { process: 'browser', sessionState: state, ...(cookieExpiresInSeconds ? { cookieExpiresInSeconds } : {}) }));

describe('expiryVerdict', () => {
  describe('when a read finds the session lost while its cookie is valid', () => {
    const ops = history(addAt(0), readAt(1000, 'existing', 4), readAt(2000, 'existing', 4), readAt(4500, 'lost', 4), readAt(12000, 'lost'));
    it('says logged-out-with-valid-cookie', () => expect(expiryVerdict(ops).observed).toBe('logged-out-with-valid-cookie'));
    it('names that read and how long its cookie had left', () => expect(expiryVerdict(ops).firstBad).toMatchObject({ index: 3, expected: 'the session of its cookie, valid for another 1.5 s' }));
  });

  describe('when an expired cookie still opens the session', () => {
    const ops = history(addAt(0), readAt(1000, 'existing', 4), readAt(11000, 'existing'));
    it('says kept-past-cookie', () => expect(expiryVerdict(ops).observed).toBe('kept-past-cookie'));
    it('names that read', () => expect(expiryVerdict(ops).firstBad).toMatchObject({ index: 2, expected: 'the session ended with its cookie, expired 6.0 s before' }));
  });

  it('says expiry-together when valid cookies find it and the expired one does not', () => {
    expect(expiryVerdict(history(addAt(0), readAt(1000, 'existing', 4), readAt(2000, 'existing', 4), readAt(12000, 'lost'))).observed).toBe('expiry-together');
  });

  it('does not judge a read within a second of its cookie’s expiry', () => {
    expect(expiryVerdict(history(addAt(0), readAt(3500, 'lost'))).metrics).toMatchObject({ readsWithValidCookie: 0, readsWithExpiredCookie: 0 });
  });

  it('is inconclusive without a read with an expired cookie', () => {
    expect(expiryVerdict(history(addAt(0), readAt(1000, 'existing', 4))).observed).toBe('inconclusive');
  });
});
