import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { lostUpdateVerdict } from '../../../scenarios/shop/checkers/lost-update.ts';
import { history, viewCart, type OpSketch } from '../../support/histories.ts';

const burstAdd = (sku: string, extra: OpSketch = {}): OpSketch => ({ action: shopActions.addItem, args: { sku, qty: 1, burst: 'at-once-3' }, servedBy: 'server_1', ...extra });
const lines = (...skus: string[]): [string, number][] => skus.map((sku) => [sku, 1]);

describe('lostUpdateVerdict', () => {
  describe('when an acknowledged add is missing from the cart read after the burst', () => {
    const ops = history(viewCart('server_1', []), burstAdd('a'), burstAdd('b'), burstAdd('c', { servedBy: 'server_2' }), viewCart('server_2', lines('a', 'b')));
    it('says writes-lost', () => expect(lostUpdateVerdict(ops).observed).toBe('writes-lost'));
    it('counts one lost of three acknowledged', () => expect(lostUpdateVerdict(ops).metrics).toMatchObject({ acknowledged: 3, lost: 1, bursts: { 'at-once-3': '3 of 3 acknowledged, 1 lost (33.3%)' } }));
    it('names the lost add as the first bad operation', () =>
      expect(lostUpdateVerdict(ops).firstBad).toMatchObject({ index: 3, node: 'server_2', expected: 'c in the cart read at #4', seen: '#4 showed cart a×1 b×1' }));
  });

  it('says no-write-lost when the read after shows every acknowledged add', () => {
    const ops = history(burstAdd('a'), burstAdd('b'), burstAdd('c'), viewCart('server_2', lines('a', 'b', 'c')));
    expect(lostUpdateVerdict(ops).observed).toBe('no-write-lost');
  });

  it('does not count an add that got no answer as lost', () => {
    const ops = history(burstAdd('a'), burstAdd('b', { type: 'info', status: undefined, servedBy: undefined }), viewCart('server_2', lines('a')));
    expect(lostUpdateVerdict(ops).observed).toBe('no-write-lost');
  });

  it('does not count a refused add as lost', () => {
    const ops = history(burstAdd('a'), burstAdd('b', { type: 'fail', status: 400 }), viewCart('server_2', lines('a')));
    expect(lostUpdateVerdict(ops).observed).toBe('no-write-lost');
  });

  it('counts lost quantity when adds of one sku are acknowledged but the line holds less', () => {
    const add = (extra: OpSketch = {}) => burstAdd('apple', { args: { sku: 'apple', qty: 40, burst: 'qty-limit' }, ...extra });
    const ops = history(add(), add(), add(), viewCart('server_1', [['apple', 80]]));
    expect(lostUpdateVerdict(ops).metrics).toMatchObject({ lost: 1 });
  });

  it('says limit-broken when nothing was lost but more lines were acknowledged than a cart holds', () => {
    const skus = Array.from({ length: 51 }, (_, i) => `s${i}`);
    const ops = history(...skus.map((sku) => burstAdd(sku)), viewCart('server_1', lines(...skus)));
    expect(lostUpdateVerdict(ops).observed).toBe('limit-broken');
  });

  it('is inconclusive when the device never read its cart after the burst', () => {
    expect(lostUpdateVerdict(history(burstAdd('a'), burstAdd('b'))).observed).toBe('inconclusive');
  });

  it('is inconclusive without a burst', () => {
    expect(lostUpdateVerdict(history(viewCart('server_1', []))).observed).toBe('inconclusive');
  });
});
