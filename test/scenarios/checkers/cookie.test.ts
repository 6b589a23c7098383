import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { cookieSizeVerdict, replayVerdict } from '../../../scenarios/shop/checkers/cookie.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

describe('replayVerdict', () => {
  const owner = { process: 'owner' };
  const copy = { process: 'copy' };
  const before = [add('apple', 'server_1', [['apple', 1]], owner), { process: 'copy', action: shopActions.adoptCookie, args: { from: 'owner' } }, { ...owner, action: shopActions.endSession, servedBy: 'server_2' }];

  describe('when the copy still opens on both nodes after the owner ended the session', () => {
    const ops = history(...before, viewCart('server_1', [['apple', 1]], copy), viewCart('server_2', [['apple', 1]], copy));
    it('says replay-accepted', () => expect(replayVerdict(ops).observed).toBe('replay-accepted'));
    it('names the first replay', () => expect(replayVerdict(ops).firstBad).toMatchObject({ index: 3, process: 'copy', seen: 'existing, cart apple×1' }));
  });

  it('says replay-refused when every replay finds the session lost (a store destroyed it)', () => {
    const ops = history(...before, viewCart('server_1', [], { ...copy, sessionState: 'lost' }), viewCart('server_2', [], { ...copy, sessionState: 'lost' }));
    expect(replayVerdict(ops).observed).toBe('replay-refused');
  });

  it('is inconclusive when the owner never ended the session', () => {
    expect(replayVerdict(history(before[0]!, before[1]!, viewCart('server_1', [['apple', 1]], copy))).observed).toBe('inconclusive');
  });
});

describe('cookieSizeVerdict', () => {
  const grow = (lines: number, bytes: number, extra: OpSketch = {}) => add(`s${lines}`, 'server_1', Array.from({ length: lines }, (_, i) => [`s${i}`, 1] as [string, number]), { cookieBytes: bytes, ...extra });
  const refused: OpSketch = { action: shopActions.addItem, args: { sku: 'x', qty: 1 }, type: 'fail', status: 400, value: { message: 'the cart holds at most 50 different skus' } };

  describe('when the shop refused before the cookie outgrew 4096 bytes', () => {
    const ops = history(grow(1, 500), grow(2, 600), grow(3, 700), refused);
    it('says refused-before-drop', () => expect(cookieSizeVerdict(ops).observed).toBe('refused-before-drop'));
    it('measures the growth per line and where the limit would come', () => expect(cookieSizeVerdict(ops).metrics).toMatchObject({ bytesPerLine: 100, linesAtBrowserLimit: 36, largestCookieBytes: 700 }));
  });

  it('says cookie-dropped when an answer set a cookie a browser would drop', () => {
    expect(cookieSizeVerdict(history(grow(1, 3000), grow(2, 4200), refused)).observed).toBe('cookie-dropped');
  });

  it('is inconclusive when nothing was refused', () => {
    expect(cookieSizeVerdict(history(grow(1, 500))).observed).toBe('inconclusive');
  });
});
