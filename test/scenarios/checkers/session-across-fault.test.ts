import { describe, expect, it } from 'vitest';
import { sessionAcrossFault } from '../../../scenarios/shop/checkers/session-across-fault.ts';
import { add, fault, history, viewCart } from '../../support/histories.ts';

describe('sessionAcrossFault', () => {
  describe('when the cookie came back to a lost, empty session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), fault('restart', 'server_1'), viewCart('server_1', [], { sessionState: 'lost', session: 's2' }));
    it('says session-lost', () => expect(sessionAcrossFault(ops, 'restart').observed).toBe('session-lost'));
    it('reports the carts and the state on either side of the fault', () =>
      expect(sessionAcrossFault(ops, 'restart').metrics).toEqual({ fault: 'restart server_1', cartBefore: 1, cartAfter: 0, sessionStateAfter: 'lost', sameSession: false }));
    it('names the first answer after the fault', () => expect(sessionAcrossFault(ops, 'restart').firstBad).toMatchObject({ index: 2, seen: 'lost, cart empty' }));
  });

  it('says session-kept when the same session came back with the same cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), fault('restart', 'server_1'), viewCart('server_1', [['apple', 1]]));
    expect(sessionAcrossFault(ops, 'restart').observed).toBe('session-kept');
  });

  it('is inconclusive with no fault', () => {
    expect(sessionAcrossFault(history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_1', [['apple', 1]])), 'restart').observed).toBe('inconclusive');
  });

  it('is inconclusive when the cart changed without a lost session', () => {
    const changed = history(add('apple', 'server_1', [['apple', 1]]), fault('restart', 'server_1'), viewCart('server_1', [['apple', 5]]));
    expect(sessionAcrossFault(changed, 'restart').observed).toBe('inconclusive');
  });
});
