import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { loginCartVerdict } from '../../../scenarios/shop/checkers/login-cart.ts';
import { add, history, viewCart } from '../../support/histories.ts';

describe('loginCartVerdict', () => {
  const anonymous = [add('apple', 'server_1', [['apple', 2]]), add('bread', 'server_2', [['apple', 2], ['bread', 1]])];
  const login = { action: shopActions.login, servedBy: 'server_1', user: 'ada', args: { username: 'ada' } };
  const asUser = { user: 'ada', session: 's2' };

  describe('when every read after login holds the anonymous cart', () => {
    const ops = history(...anonymous, login, viewCart('server_1', [['apple', 2], ['bread', 1]], asUser), viewCart('server_2', [['apple', 3], ['bread', 1], ['tea', 1]], asUser));
    it('says cart-kept-at-login', () => expect(loginCartVerdict(ops).observed).toBe('cart-kept-at-login'));
    it('counts the reads and their nodes', () => expect(loginCartVerdict(ops).metrics).toMatchObject({ readsAfterLogin: 2, nodesAfterLogin: 'server_1 server_2', sessionBeforeLogin: 's1', sessionAfterLogin: 's2' }));
  });

  describe('when a read after login misses a line', () => {
    const ops = history(...anonymous, login, viewCart('server_1', [['apple', 2], ['bread', 1]], asUser), viewCart('server_2', [['apple', 2]], asUser));
    it('says cart-lost-at-login', () => expect(loginCartVerdict(ops).observed).toBe('cart-lost-at-login'));
    it('names that read', () => expect(loginCartVerdict(ops).firstBad).toMatchObject({ index: 4, node: 'server_2', seen: 'cart apple×2 for user ada' }));
  });

  it('counts a smaller quantity as lost', () => {
    const ops = history(...anonymous, login, viewCart('server_1', [['apple', 1], ['bread', 1]], asUser));
    expect(loginCartVerdict(ops).observed).toBe('cart-lost-at-login');
  });

  it('looks only at the device that logged in', () => {
    const ops = history(...anonymous, login, viewCart('server_1', [], { ...asUser, process: 'phone' }), viewCart('server_2', [['apple', 2], ['bread', 1]], asUser));
    expect(loginCartVerdict(ops).observed).toBe('cart-kept-at-login');
  });

  it('is inconclusive without a login, without an anonymous cart, or without a read after login', () => {
    expect(loginCartVerdict(history(...anonymous, viewCart('server_1', [['apple', 2]]))).observed).toBe('inconclusive');
    expect(loginCartVerdict(history(viewCart('server_1', []), login, viewCart('server_1', [], asUser))).observed).toBe('inconclusive');
    expect(loginCartVerdict(history(...anonymous, login)).observed).toBe('inconclusive');
    expect(loginCartVerdict(history(...anonymous, { ...login, type: 'fail', status: 401 }, viewCart('server_1', [], asUser))).observed).toBe('inconclusive');
  });
});
