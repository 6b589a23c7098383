// The cart checkers on hand-written histories, including ones that must fail the expectation.
import { describe, expect, it } from 'vitest';
import { analyzeCarts, cartVerdict, separateSessionsVerdict, userCartVerdict } from '../../../scenarios/shop/checkers/cart.ts';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { add, fault, history, viewCart } from '../../support/histories.ts';

describe('cartVerdict', () => {
  describe('when both nodes always showed what the device added, across a restart', () => {
    const ops = history(
      add('apple', 'server_2', [['apple', 1]], { sessionState: 'new' }),
      viewCart('server_1', [['apple', 1]]),
      fault('restart', 'server_1'),
      add('tea', 'server_2', [['apple', 1], ['tea', 1]]),
      viewCart('server_1', [['apple', 1], ['tea', 1]]),
    );
    it('says cart-kept', () => expect(cartVerdict(ops).observed).toBe('cart-kept'));
    it('names no bad operation', () => expect(cartVerdict(ops).firstBad).toBeUndefined());
  });

  describe('when a node answers lost', () => {
    const ops = history(add('apple', 'server_2', [['apple', 1]], { sessionState: 'new' }), viewCart('server_1', [], { sessionState: 'lost', session: 's2' }));
    it('says cart-lost', () => expect(cartVerdict(ops).observed).toBe('cart-lost'));
    it('counts the loss on the node that answered', () =>
      expect(cartVerdict(ops).metrics).toMatchObject({ lostSessions: 1, wrongCarts: 1, perNode: { server_1: { requests: 1, lostSessions: 1, wrongCarts: 1 } } }));
    it('names that answer as the first bad operation, with what was expected and seen', () =>
      expect(cartVerdict(ops).firstBad).toEqual({ index: 1, atMs: 2, process: 'laptop', request: undefined, node: 'server_1', expected: 'the session it held (cart apple×1)', seen: 'lost, cart empty' }));
  });

  describe('when a cart differs from what was added, without a lost session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_2', [['apple', 2]]));
    it('says cart-lost', () => expect(cartVerdict(ops).observed).toBe('cart-lost'));
    it('names the wrong cart', () => expect(cartVerdict(ops).firstBad).toMatchObject({ index: 1, expected: 'cart apple×1', seen: 'cart apple×2' }));
  });

  it('is inconclusive when a single node answered everything', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_1', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('inconclusive');
  });

  it('is inconclusive when the restarted node never answered again', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_2', [['apple', 1]]), fault('restart', 'server_1'), viewCart('server_2', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('inconclusive');
  });

  describe('with a write of unknown outcome', () => {
    const unknown = { type: 'info' as const, status: undefined, servedBy: undefined, cart: undefined, error: 'UND_ERR_SOCKET: other side closed' };
    const ops = history(add('apple', 'server_1', [['apple', 1]]), add('tea', 'server_2', [], unknown), viewCart('server_1', [['apple', 1], ['tea', 1]]), viewCart('server_2', [['apple', 1]]));
    it('counts it as unknown', () => expect(analyzeCarts(ops).unknownWrites).toBe(1));
    // tea may or may not have been added: a cart with it and a cart without it are both consistent.
    it('accepts carts with it and without it', () => expect(analyzeCarts(ops).wrongCarts).toBe(0));
  });

  it('ignores failed writes when modelling the cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), add('x y', 'server_2', [], { type: 'fail', status: 400 }), viewCart('server_1', [['apple', 1]]), viewCart('server_2', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('cart-kept');
  });

  it('follows removes: an item that comes back after its removal is a wrong cart', () => {
    const ops = history(
      add('apple', 'server_1', [['apple', 1]]),
      { action: shopActions.removeItem, args: { sku: 'apple' }, servedBy: 'server_2', sessionState: 'existing', cart: [] },
      viewCart('server_1', [['apple', 1]]),
    );
    expect(analyzeCarts(ops).firstBad?.index).toBe(2);
  });
});

describe('separateSessionsVerdict', () => {
  const phone = { process: 'phone' };
  it('says separate-sessions when each device kept its own session and cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'p' }), add('tea', 'server_2', [['tea', 1]], { session: 'l' }), viewCart('server_2', [['apple', 1]], { ...phone, session: 'p' }));
    expect(separateSessionsVerdict(ops).observed).toBe('separate-sessions');
  });

  describe('when two devices held one session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'same' }), add('tea', 'server_2', [['tea', 1]], { session: 'same' }));
    it('says shared-session', () => expect(separateSessionsVerdict(ops).observed).toBe('shared-session'));
    it('names the second device’s first answer in that session', () =>
      expect(separateSessionsVerdict(ops).firstBad).toMatchObject({ index: 1, process: 'laptop', seen: 'session same of phone' }));
  });

  it('says carts-mixed when a device sees another device’s item', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'p' }), add('tea', 'server_2', [['apple', 1], ['tea', 1]], { session: 'l' }));
    expect(separateSessionsVerdict(ops).observed).toBe('carts-mixed');
  });
});

describe('userCartVerdict', () => {
  it('says one-cart-everywhere when two devices of one user see one cart on both nodes', () => {
    const ops = history(
      add('apple', 'server_1', [['apple', 1]], { process: 'phone', user: 'ada' }),
      add('tea', 'server_2', [['apple', 1], ['tea', 1]], { process: 'laptop', user: 'ada', sessionState: 'lost' }),
      viewCart('server_1', [['apple', 1], ['tea', 1]], { process: 'phone', user: 'ada', sessionState: 'lost' }),
    );
    expect(userCartVerdict(ops).observed).toBe('one-cart-everywhere');
  });

  it('says cart-lost when a device of the user misses what another added', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { process: 'phone', user: 'ada' }), viewCart('server_2', [], { process: 'laptop', user: 'ada' }));
    expect(userCartVerdict(ops).observed).toBe('cart-lost');
  });
});
