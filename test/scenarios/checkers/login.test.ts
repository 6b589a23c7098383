import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { expiryVerdict, fixationVerdict, revocationVerdict } from '../../../scenarios/shop/checkers/login.ts';
import { history, type OpSketch } from '../../support/histories.ts';

const me = (process: string, servedBy: string, extra: OpSketch = {}): OpSketch => ({ process, action: shopActions.me, servedBy, user: 'ada', ...extra });
const refused = (error: string): OpSketch => ({ type: 'fail', status: 401, user: undefined, value: { error } });

describe('revocationVerdict', () => {
  const revoke: OpSketch = { process: 'a', action: shopActions.revoke, args: { device: 'b' }, servedBy: 'server_1' };
  const logoutAll: OpSketch = { process: 'a', action: shopActions.logoutAll, servedBy: 'server_2' };

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

  describe('when one node still lets the revoked device in (a cache, say)', () => {
    const ops = history(revoke, me('b', 'server_2', refused('session_revoked')), me('b', 'server_1'), me('a', 'server_2'), logoutAll, me('c', 'server_1', refused('session_revoked')));
    it('says revocation-leaked', () => expect(revocationVerdict(ops).observed).toBe('revocation-leaked'));
    it('names the request that got through', () => expect(revocationVerdict(ops).firstBad).toMatchObject({ index: 2, process: 'b', node: 'server_1' }));
  });

  it('is inconclusive when only one node was asked', () => {
    const ops = history(revoke, me('b', 'server_2', refused('session_revoked')), me('a', 'server_2'), logoutAll, me('c', 'server_2', refused('session_revoked')));
    expect(revocationVerdict(ops).observed).toBe('inconclusive');
  });
});

describe('expiryVerdict', () => {
  const wait: OpSketch = { process: 'lab', action: 'wait', args: { ms: 2500 } };
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
  const session = (process: string, tag: string, extra: OpSketch = {}): OpSketch => ({ process, action: shopActions.viewSession, session: tag, servedBy: 'server_1', ...extra });
  const adopt: OpSketch = { process: 'mallory', action: shopActions.adoptCookie, args: { from: 'alice' } };
  const login = (tag: string): OpSketch => ({ process: 'alice', action: shopActions.login, session: tag, user: 'ada' });

  it('says session-regenerated when the id changed at login and the adopted one leads nowhere', () => {
    const ops = history(session('alice', 'old'), adopt, login('new'), session('alice', 'new'), { process: 'mallory', session: 'other', sessionState: 'lost', servedBy: 'server_2' });
    expect(fixationVerdict(ops).observed).toBe('session-regenerated');
  });

  describe('when the id survived the login', () => {
    const ops = history(session('alice', 'same'), adopt, login('same'), session('alice', 'same'), { process: 'mallory', session: 'same', sessionState: 'existing', servedBy: 'server_2' });
    it('says session-fixed', () => expect(fixationVerdict(ops).observed).toBe('session-fixed'));
    it('names the victim’s first answer after login', () => expect(fixationVerdict(ops).firstBad).toMatchObject({ index: 3, process: 'alice' }));
  });

  it('is inconclusive when no device adopted another’s cookie', () => {
    const ops = history(session('alice', 'old'), login('new'), session('alice', 'new'));
    expect(fixationVerdict(ops).observed).toBe('inconclusive');
  });
});
