import { describe, expect, it } from 'vitest';
import { clockSkewVerdict } from '../../../scenarios/shop/checkers/clock-skew.ts';
import { add, history, type OpSketch } from '../../support/histories.ts';

const skew: OpSketch = { process: 'nemesis', action: 'skew', args: { target: 'server_2 +600' }, request: 'skew server_2 +600' };
const before = add('apple', 'server_1', [['apple', 1]], { cookieExpiresInSeconds: 300 });

describe('clockSkewVerdict', () => {
  it('says sessions-end-early, pointing at the first, when the skewed node no longer finds a session', () => {
    const ended = add('pear', 'server_2', [['pear', 1]], { sessionState: 'lost', cookieExpiresInSeconds: 900 });
    const verdict = clockSkewVerdict(history(before, skew, ended, add('fig', 'server_1', [['pear', 1], ['fig', 1]])));
    expect(verdict).toMatchObject({
      observed: 'sessions-end-early',
      metrics: { skew: 'server_2 +600 s', devices: 1, sessionsEndedOnSkewedNode: 1, sessionsEndedOnOtherNodes: 0, devicesThatLostTheirSession: 1, cookieExpiresInSecondsSkewedNode: 900 },
    });
    expect(verdict.firstBad?.index).toBe(2);
  });

  it('counts a session that ended on the node with the right clock (the skewed one pruned it) apart', () => {
    const pruned = add('pear', 'server_1', [['pear', 1]], { sessionState: 'lost' });
    expect(clockSkewVerdict(history(before, skew, pruned)).metrics).toMatchObject({ sessionsEndedOnSkewedNode: 0, sessionsEndedOnOtherNodes: 1 });
  });

  it('says sessions-unaffected when every answer after the skew found the session', () => {
    const ops = history(before, skew, add('pear', 'server_2', [['apple', 1], ['pear', 1]]), add('fig', 'server_1', [['apple', 1], ['pear', 1], ['fig', 1]]));
    expect(clockSkewVerdict(ops).observed).toBe('sessions-unaffected');
  });

  it('is inconclusive without a skew, or without a device that had a session before it', () => {
    expect(clockSkewVerdict(history(before)).observed).toBe('inconclusive');
    expect(clockSkewVerdict(history(skew, add('pear', 'server_2', [['pear', 1]]))).observed).toBe('inconclusive');
  });
});
