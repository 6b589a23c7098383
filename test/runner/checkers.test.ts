// Checkers are pure functions of a history: tested on hand-written ones, including histories
// that must fail the expectation.
import { describe, expect, it } from 'vitest';
import { analyzeCarts, cartVerdict, separateSessionsVerdict, userCartVerdict } from '../../runner/checkers/cart.ts';
import { expiryVerdict, fixationVerdict, revocationVerdict } from '../../runner/checkers/login.ts';
import { memoryGrowth } from '../../runner/checkers/memory-growth.ts';
import { sessionAcrossFault } from '../../runner/checkers/session-across-fault.ts';
import type { Op, OpInput } from '../../runner/history.ts';
import { classify } from '../../runner/lab.ts';

function history(...inputs: Partial<OpInput>[]): Op[] {
  return inputs.map((input, index) => ({ process: 'laptop', action: 'read', type: 'ok', startedMs: index, endedMs: index + 1, ...input, index }));
}

const add = (sku: string, servedBy: string, cart: [string, number][], extra: Partial<OpInput> = {}): Partial<OpInput> => ({
  action: 'add',
  args: { sku, qty: 1 },
  servedBy,
  sessionState: 'existing',
  session: 's1',
  cart: cart.map(([s, qty]) => ({ sku: s, qty })),
  ...extra,
});
const read = (servedBy: string, cart: [string, number][], extra: Partial<OpInput> = {}): Partial<OpInput> => ({
  action: 'read',
  servedBy,
  sessionState: 'existing',
  session: 's1',
  cart: cart.map(([s, qty]) => ({ sku: s, qty })),
  ...extra,
});
const restart = (service: string): Partial<OpInput> => ({ process: 'nemesis', action: 'restart', args: { service } });

describe('classify', () => {
  it('counts 2xx as ok, 4xx as fail, and a write without a clear answer as info', () => {
    expect(classify(true, 200)).toBe('ok');
    expect(classify(true, 400)).toBe('fail');
    expect(classify(true, 503)).toBe('info');
    expect(classify(true, 502)).toBe('info');
    expect(classify(true, undefined)).toBe('info');
    expect(classify(false, 503)).toBe('fail');
    expect(classify(false, undefined)).toBe('fail');
  });
});

describe('cartVerdict', () => {
  it('says cart-kept when both nodes always showed what the device added, across a restart', () => {
    const ops = history(
      add('apple', 'server_2', [['apple', 1]], { sessionState: 'new' }),
      read('server_1', [['apple', 1]]),
      restart('server_1'),
      add('tea', 'server_2', [['apple', 1], ['tea', 1]]),
      read('server_1', [['apple', 1], ['tea', 1]]),
    );
    expect(cartVerdict(ops).observed).toBe('cart-kept');
  });

  it('says cart-lost when a node answers lost, and counts it per node', () => {
    const ops = history(add('apple', 'server_2', [['apple', 1]], { sessionState: 'new' }), read('server_1', [], { sessionState: 'lost', session: 's2' }));
    const verdict = cartVerdict(ops);
    expect(verdict.observed).toBe('cart-lost');
    expect(verdict.metrics).toMatchObject({ lostSessions: 1, wrongCarts: 1, perNode: { server_1: { requests: 1, lostSessions: 1, wrongCarts: 1 } } });
  });

  it('says cart-lost when a cart differs from what was added, even without a lost session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), read('server_2', [['apple', 2]]));
    expect(cartVerdict(ops).observed).toBe('cart-lost');
  });

  it('is inconclusive when a single node answered everything', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), read('server_1', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('inconclusive');
  });

  it('is inconclusive when the restarted node never answered again', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), read('server_2', [['apple', 1]]), restart('server_1'), read('server_2', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('inconclusive');
  });

  it('counts a write of unknown outcome neither as applied nor as lost', () => {
    const unknown = { type: 'info' as const, status: undefined, servedBy: undefined, cart: undefined, error: 'UND_ERR_SOCKET: other side closed' };
    const applied = history(add('apple', 'server_1', [['apple', 1]]), add('tea', 'server_2', [], unknown), read('server_1', [['apple', 1], ['tea', 1]]), read('server_2', [['apple', 1]]));
    const analysis = analyzeCarts(applied);
    expect(analysis.unknownWrites).toBe(1);
    // tea may or may not have been added: a cart with it and a cart without it are both consistent.
    expect(analysis.wrongCarts).toBe(0);
    expect(cartVerdict(applied).observed).toBe('cart-kept');
  });

  it('ignores failed writes when modelling the cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), add('x y', 'server_2', [], { type: 'fail', status: 400 }), read('server_1', [['apple', 1]]), read('server_2', [['apple', 1]]));
    expect(cartVerdict(ops).observed).toBe('cart-kept');
  });

  it('follows removes', () => {
    const ops = history(
      add('apple', 'server_1', [['apple', 1]]),
      { action: 'remove', args: { sku: 'apple' }, servedBy: 'server_2', sessionState: 'existing', cart: [] },
      read('server_1', [['apple', 1]]),
    );
    expect(analyzeCarts(ops).wrongCartOps).toEqual([2]);
  });
});

describe('separateSessionsVerdict', () => {
  const phone = { process: 'phone' };
  it('says separate-sessions when each device kept its own session and cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'p' }), add('tea', 'server_2', [['tea', 1]], { session: 'l' }), read('server_2', [['apple', 1]], { ...phone, session: 'p' }));
    expect(separateSessionsVerdict(ops).observed).toBe('separate-sessions');
  });

  it('says shared-session when two devices held one session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'same' }), add('tea', 'server_2', [['tea', 1]], { session: 'same' }));
    expect(separateSessionsVerdict(ops).observed).toBe('shared-session');
  });

  it('says carts-mixed when a device sees another device’s item', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], { ...phone, session: 'p' }), add('tea', 'server_2', [['apple', 1], ['tea', 1]], { session: 'l' }));
    expect(separateSessionsVerdict(ops).observed).toBe('carts-mixed');
  });
});

describe('sessionAcrossFault', () => {
  it('says session-lost when the cookie came back to a lost, empty session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), restart('server_1'), read('server_1', [], { sessionState: 'lost', session: 's2' }));
    expect(sessionAcrossFault(ops, 'restart')).toEqual({
      observed: 'session-lost',
      metrics: { fault: 'restart server_1', cartBefore: 1, cartAfter: 0, sessionStateAfter: 'lost', sameSession: false },
    });
  });

  it('says session-kept when the same session came back with the same cart', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), restart('server_1'), read('server_1', [['apple', 1]]));
    expect(sessionAcrossFault(ops, 'restart').observed).toBe('session-kept');
  });

  it('is inconclusive with no fault, or when the cart changed without a lost session', () => {
    expect(sessionAcrossFault(history(add('apple', 'server_1', [['apple', 1]]), read('server_1', [['apple', 1]])), 'restart').observed).toBe('inconclusive');
    const changed = history(add('apple', 'server_1', [['apple', 1]]), restart('server_1'), read('server_1', [['apple', 5]]));
    expect(sessionAcrossFault(changed, 'restart').observed).toBe('inconclusive');
  });
});

describe('memoryGrowth', () => {
  const probe = (label: string, heapUsedBytes: number, sessionsHeld: number): Partial<OpInput> => ({
    process: 'probe',
    action: 'probe',
    args: { label },
    value: { heapUsedBytes, rssBytes: heapUsedBytes * 2, sessionsHeld, collected: true },
  });
  const visit = { process: 'visitors', action: 'visit', value: { ok: 1000, failed: 0 } };
  const expiredRead = { process: 'returning', action: 'get', args: { path: '/healthz' }, servedBy: 'server_1', sessionState: 'lost' };

  it('measures bytes per session and sees expired sessions kept until read', () => {
    const ops = history(probe('before', 10_000_000, 0), visit, probe('after-visits', 10_500_000, 1000), probe('after-expiry', 10_500_000, 1000), expiredRead, expiredRead, probe('after-reads', 10_499_000, 998));
    const verdict = memoryGrowth(ops);
    expect(verdict.observed).toBe('expired-kept-until-read');
    expect(verdict.metrics).toMatchObject({ sessionsCreated: 1000, heapBytesPerSession: 500, sessionsPerGiBOfHeap: 2147483, heldAfterExpiry: 1000, heldAfterReads: 998 });
  });

  it('says expired-reclaimed when expired sessions left without being read', () => {
    const ops = history(probe('before', 10_000_000, 0), visit, probe('after-visits', 10_500_000, 1000), probe('after-expiry', 10_000_000, 0), expiredRead, probe('after-reads', 10_000_000, 0));
    expect(memoryGrowth(ops).observed).toBe('expired-reclaimed');
  });

  it('is inconclusive when a probe is missing', () => {
    expect(memoryGrowth(history(probe('before', 1, 0), visit)).observed).toBe('inconclusive');
  });
});

describe('login checkers', () => {
  const me = (process: string, servedBy: string, extra: Partial<OpInput> = {}): Partial<OpInput> => ({ process, action: 'me', servedBy, user: 'ada', ...extra });
  const refused = (error: string) => ({ type: 'fail' as const, status: 401, user: undefined, value: { error } });

  describe('revocationVerdict', () => {
    const revoke = { process: 'a', action: 'revoke', args: { device: 'b' }, servedBy: 'server_1' };
    const logoutAll = { process: 'a', action: 'logout-all', servedBy: 'server_2' };

    it('says revoked-everywhere when the revoked device is refused on both nodes and everything after logout-all is too', () => {
      const ops = history(
        me('b', 'server_1'),
        revoke,
        me('b', 'server_2', refused('session_revoked')),
        me('b', 'server_1', refused('session_revoked')),
        me('a', 'server_2'),
        logoutAll,
        me('c', 'server_1', refused('session_revoked')),
        me('c', 'server_2', refused('session_revoked')),
      );
      expect(revocationVerdict(ops).observed).toBe('revoked-everywhere');
    });

    it('says revocation-leaked when one node still lets the revoked device in (a cache, say)', () => {
      const ops = history(revoke, me('b', 'server_2', refused('session_revoked')), me('b', 'server_1'), me('a', 'server_2'), logoutAll, me('c', 'server_1', refused('session_revoked')));
      expect(revocationVerdict(ops).observed).toBe('revocation-leaked');
    });

    it('is inconclusive when only one node was asked', () => {
      const ops = history(revoke, me('b', 'server_2', refused('session_revoked')), me('a', 'server_2'), logoutAll, me('c', 'server_2', refused('session_revoked')));
      expect(revocationVerdict(ops).observed).toBe('inconclusive');
    });
  });

  describe('expiryVerdict', () => {
    const wait = { process: 'lab', action: 'wait', args: { ms: 2500 } };
    it('says expired-everywhere when both nodes refuse after the wait', () => {
      const ops = history(me('p', 'server_1'), wait, me('p', 'server_1', refused('session_expired')), me('l', 'server_2', refused('session_expired')));
      expect(expiryVerdict(ops).observed).toBe('expired-everywhere');
    });

    it('says still-valid when a node accepts the token after its TTL', () => {
      const ops = history(me('p', 'server_1'), wait, me('p', 'server_1', refused('session_expired')), me('l', 'server_2'));
      expect(expiryVerdict(ops).observed).toBe('still-valid');
    });
  });

  describe('fixationVerdict', () => {
    const session = (process: string, tag: string, extra: Partial<OpInput> = {}): Partial<OpInput> => ({ process, action: 'session', session: tag, servedBy: 'server_1', ...extra });
    const login = (tag: string) => ({ process: 'victim', action: 'login', session: tag, user: 'ada' });

    it('says session-regenerated when the id changed at login and the old one leads nowhere', () => {
      const ops = history(session('victim', 'old'), login('new'), session('victim', 'new'), { process: 'attacker', action: 'read', session: 'other', sessionState: 'lost', servedBy: 'server_2' });
      expect(fixationVerdict(ops, 'victim', 'attacker').observed).toBe('session-regenerated');
    });

    it('says session-fixed when the id survived the login', () => {
      const ops = history(session('victim', 'same'), login('same'), session('victim', 'same'), { process: 'attacker', action: 'read', session: 'same', sessionState: 'existing', servedBy: 'server_2' });
      expect(fixationVerdict(ops, 'victim', 'attacker').observed).toBe('session-fixed');
    });
  });

  describe('userCartVerdict', () => {
    it('says one-cart-everywhere when two devices of one user see one cart on both nodes', () => {
      const ops = history(
        add('apple', 'server_1', [['apple', 1]], { process: 'phone', user: 'ada' }),
        add('tea', 'server_2', [['apple', 1], ['tea', 1]], { process: 'laptop', user: 'ada', sessionState: 'lost' }),
        read('server_1', [['apple', 1], ['tea', 1]], { process: 'phone', user: 'ada', sessionState: 'lost' }),
      );
      expect(userCartVerdict(ops).observed).toBe('one-cart-everywhere');
    });

    it('says cart-lost when a device of the user misses what another added', () => {
      const ops = history(add('apple', 'server_1', [['apple', 1]], { process: 'phone', user: 'ada' }), read('server_2', [], { process: 'laptop', user: 'ada' }));
      expect(userCartVerdict(ops).observed).toBe('cart-lost');
    });
  });
});
