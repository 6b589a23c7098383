import { describe, expect, it } from 'vitest';
import { checkActions, type CheckOp } from '../../scenarios/check/device.ts';
import { fixationVerdict, loginContractBreak, logoutEverywhereVerdict, logoutReplayVerdict } from '../../scenarios/check/login-verdicts.ts';

type Sketch = Partial<CheckOp>;
const history = (...sketches: Sketch[]): CheckOp[] =>
  sketches.map((s, index) => ({ type: 'ok', status: 200, startedMs: index * 10, endedMs: index * 10 + 5, sessionState: 'existing', servedBy: 'server_1', ...s, index }) as CheckOp);
const login = (process: string, extra: Sketch = {}): Sketch => ({ process, action: checkActions.login, ...extra });
const ask = (process: string, loggedIn: boolean, extra: Sketch = {}): Sketch => ({ process, action: checkActions.loggedIn, loggedIn, ...(loggedIn ? {} : { status: 401, type: 'fail' }), ...extra });

describe('fixationVerdict', () => {
  const planted = (attackerLoggedIn: boolean) =>
    history({ process: 'attacker', action: checkActions.write, sessionState: 'new', session: 'aaaa' }, login('victim', { session: attackerLoggedIn ? 'aaaa' : 'bbbb' }), ask('victim', true), ask('attacker', attackerLoggedIn));

  it('says fixated when the planted id is logged in after the victim logged in', () => {
    expect(fixationVerdict(planted(true), 'attacker', 'victim')).toMatchObject({ observed: 'fixated', metrics: { idChangedAtLogin: false }, firstBad: { index: 3, process: 'attacker' } });
  });

  it('says safe when the planted id stays logged out', () => {
    expect(fixationVerdict(planted(false), 'attacker', 'victim')).toMatchObject({ observed: 'safe', metrics: { idChangedAtLogin: true } });
  });

  it('cannot attack an app that gives no session before the login', () => {
    expect(fixationVerdict(history({ process: 'attacker', action: checkActions.write, sessionState: 'none' }), 'attacker', 'victim').observed).toBe('no-session-before-login');
  });

  it('is inconclusive when the victim never got logged in', () => {
    const failed = history({ process: 'attacker', action: checkActions.write, sessionState: 'new' }, login('victim', { type: 'fail', status: 401 }), ask('attacker', false));
    expect(fixationVerdict(failed, 'attacker', 'victim').observed).toBe('inconclusive');
  });
});

describe('logoutReplayVerdict', () => {
  const replay = (thiefAfter: boolean, ownerAfter = false) =>
    history(login('owner'), ask('owner', true), ask('thief', true), { process: 'owner', action: checkActions.logout }, ask('owner', ownerAfter), ask('thief', thiefAfter), ask('thief', thiefAfter));

  it('says replayable when a copy taken before the logout is logged in after it', () => {
    expect(logoutReplayVerdict(replay(true), 'owner', 'thief')).toMatchObject({ observed: 'replayable', metrics: { replays: 2, replayedLoggedIn: 2 }, firstBad: { index: 5 } });
  });

  it('says ended when the copy is logged out after the logout', () => {
    expect(logoutReplayVerdict(replay(false), 'owner', 'thief').observed).toBe('ended');
  });

  it('says logout-broken when the owner itself is still logged in', () => {
    expect(logoutReplayVerdict(replay(true, true), 'owner', 'thief')).toMatchObject({ observed: 'logout-broken', firstBad: { index: 4 } });
  });

  it('is inconclusive when the copy did not work even before the logout', () => {
    const h = history(login('owner'), ask('owner', true), ask('thief', false), { process: 'owner', action: checkActions.logout }, ask('owner', false), ask('thief', false));
    expect(logoutReplayVerdict(h, 'owner', 'thief').observed).toBe('inconclusive');
  });
});

describe('logoutEverywhereVerdict', () => {
  const devices = (phoneBefore: boolean[], phoneAfter: boolean[]) =>
    history(
      login('laptop'),
      ask('laptop', true),
      login('phone'),
      ...phoneBefore.map((yes, i) => ask('phone', yes, { servedBy: `server_${(i % 2) + 1}` })),
      { process: 'laptop', action: checkActions.logoutEverywhere },
      ...phoneAfter.map((yes, i) => ask('phone', yes, { servedBy: `server_${(i % 2) + 1}` })),
      ask('laptop', false),
    );

  it('says reached when neither device is logged in anywhere afterwards', () => {
    expect(logoutEverywhereVerdict(devices([true, true], [false, false]), 'laptop', 'phone')).toMatchObject({ observed: 'reached', metrics: { asksAfter: 3, stillLoggedIn: 0 } });
  });

  it('says missed, with the node, when one node still has the login', () => {
    expect(logoutEverywhereVerdict(devices([true, true], [false, true]), 'laptop', 'phone')).toMatchObject({ observed: 'missed', firstBad: { index: 7, node: 'server_2', seen: 'still logged in on server_2' } });
  });

  it('says not-shared when the second device was not logged in on every node before', () => {
    expect(logoutEverywhereVerdict(devices([true, false], [false, false]), 'laptop', 'phone')).toMatchObject({ observed: 'not-shared', metrics: { loggedInBefore: '1 of 2' } });
  });
});

describe('loginContractBreak', () => {
  it('holds (undefined) when each ask answers as the steps expect', () => {
    expect(loginContractBreak(history(ask('d', false, { args: { expect: 'logged-out' } }), login('d'), ask('d', true, { args: { expect: 'logged-in' } })))).toBeUndefined();
  });

  it('is broken by a pattern that matches a logged-out answer, or never matches', () => {
    expect(loginContractBreak(history(ask('d', true, { args: { expect: 'logged-out' } })))?.firstBad?.expected).toBe('a logged-out answer');
    expect(loginContractBreak(history(login('d'), ask('d', false, { args: { expect: 'logged-in' } })))).toMatchObject({ observed: 'broken', firstBad: { index: 1 } });
  });

  it('is broken by a login that fails', () => {
    expect(loginContractBreak(history(login('d', { type: 'fail', status: 401 })))).toMatchObject({ observed: 'broken', firstBad: { seen: 'status 401' } });
  });
});
