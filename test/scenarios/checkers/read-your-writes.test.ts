import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { readYourWritesVerdict } from '../../../scenarios/shop/checkers/read-your-writes.ts';
import { history, viewCart, type OpSketch } from '../../support/histories.ts';

const formAdd = (sku: string, bodyLagMs: number, extra: OpSketch = {}): OpSketch => ({ action: shopActions.addItem, args: { sku, qty: 1, then: 'cart' }, status: 303, servedBy: 'server_1', bodyLagMs, ...extra });
const follow = (cart: [string, number][]): OpSketch => viewCart('server_2', cart);

describe('readYourWritesVerdict', () => {
  describe('when a followed GET misses the line its 303 confirmed', () => {
    const ops = history(formAdd('a', 2), follow([['a', 1]]), formAdd('b', 6), follow([['a', 1]]), formAdd('c', 1), follow([['a', 1], ['b', 1], ['c', 1]]));
    it('says read-missed-write', () => expect(readYourWritesVerdict(ops).observed).toBe('read-missed-write'));
    it('names the GET that missed it', () => expect(readYourWritesVerdict(ops).firstBad).toMatchObject({ index: 3, node: 'server_2', expected: 'the b its 303 confirmed', seen: 'cart a×1' }));
    it('measures the window', () =>
      expect(readYourWritesVerdict(ops).metrics).toMatchObject({ tries: 3, missed: 1, missedShare: 0.33, saveAfterHeadersMsMedian: 2, saveAfterHeadersMsMax: 6, readOnOtherNode: 3 }));
  });

  it('says read-saw-write when every followed GET shows its line', () => {
    expect(readYourWritesVerdict(history(formAdd('a', 3), follow([['a', 1]]), formAdd('b', 3), follow([['a', 1], ['b', 1]]))).observed).toBe('read-saw-write');
  });

  it('pairs an add only with the GET that followed it at once, by the same device', () => {
    const other = viewCart('server_2', [], { process: 'phone' });
    expect(readYourWritesVerdict(history(formAdd('a', 3), other, follow([]))).observed).toBe('inconclusive');
  });

  it('ignores adds that were not answered 303, and failed follows', () => {
    expect(readYourWritesVerdict(history(formAdd('a', 0, { status: 503, type: 'info' }), follow([]))).observed).toBe('inconclusive');
    expect(readYourWritesVerdict(history(formAdd('a', 3), { ...follow([]), type: 'fail', status: 503 })).observed).toBe('inconclusive');
  });
});
