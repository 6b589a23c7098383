import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { oldCookieReader, resurrectionVerdict } from '../../../scenarios/shop/checkers/resurrection.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

const adopt = (session: string): OpSketch => ({ process: oldCookieReader, action: shopActions.adoptCookie, session });
const end = (ended: string, extra: OpSketch = {}): OpSketch => ({ process: 'phone', action: shopActions.endSession, servedBy: 'server_2', args: { ended }, session: `${ended}-next`, ...extra });
const read = (session: string, state: 'existing' | 'lost', cart: [string, number][] = []): OpSketch => viewCart('server_1', cart, { process: oldCookieReader, session, sessionState: state });
const phoneAdd = (sku: string): OpSketch => add(sku, 'server_1', [[sku, 1]], { process: 'phone' });

function trial(session: string, outcome: 'existing' | 'lost', extra: OpSketch = {}): OpSketch[] {
  return [adopt(session), phoneAdd('tea'), end(session, extra), read(outcome === 'existing' ? session : `${session}-new`, outcome, outcome === 'existing' ? [['tea', 1]] : [])];
}

describe('resurrectionVerdict', () => {
  describe('when a read with an ended session’s cookie finds it again', () => {
    const ops = history(...trial('s1', 'lost'), ...trial('s2', 'existing'), ...trial('s3', 'lost'));
    it('says session-resurrected', () => expect(resurrectionVerdict(ops).observed).toBe('session-resurrected'));
    it('counts the trials and the resurrections', () => expect(resurrectionVerdict(ops).metrics).toMatchObject({ trials: 3, resurrected: 1, resurrectedShare: 0.33 }));
    it('names the first such read', () => expect(resurrectionVerdict(ops).firstBad).toMatchObject({ index: 7, process: oldCookieReader, seen: 'existing, cart tea×1' }));
  });

  it('says session-stayed-ended when every read finds the ended session lost', () => {
    expect(resurrectionVerdict(history(...trial('s1', 'lost'), ...trial('s2', 'lost'))).observed).toBe('session-stayed-ended');
  });

  it('does not count a read whose session was never ended, or whose end failed', () => {
    const neverEnded = [adopt('s1'), read('s1', 'existing')];
    const failedEnd = trial('s2', 'existing', { type: 'fail', status: 503 });
    expect(resurrectionVerdict(history(...neverEnded, ...failedEnd)).observed).toBe('inconclusive');
  });
});
