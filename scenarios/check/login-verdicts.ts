// The verdicts of `lab check`'s login checks, each a pure function of the history. A device's
// "logged-in?" asks carry what their answer showed (loggedIn); a thief or attacker is a device of
// its own whose jar holds a copy of another's cookies.
import { firstBad, type Verdict } from '../../runner/scenario.ts';
import { checkActions, type CheckOp } from './device.ts';

const asks = (history: readonly CheckOp[], device: string, afterMs = Number.NEGATIVE_INFINITY) =>
  history.filter((op) => op.process === device && op.action === checkActions.loggedIn && op.status !== undefined && op.startedMs >= afterMs);

const lastOf = (history: readonly CheckOp[], device: string, action: string) => history.findLast((op) => op.process === device && op.action === action);

/** Why a login check cannot judge: the login, or the logged-in ask it counts on, did not work. */
function notLoggedIn(history: readonly CheckOp[], device: string): Verdict | undefined {
  const login = lastOf(history, device, checkActions.login);
  if (login?.type !== 'ok') return { observed: 'inconclusive', metrics: { login: login?.status ?? 'no answer' } };
  const after = asks(history, device, login.endedMs)[0];
  if (!after?.loggedIn) return { observed: 'inconclusive', metrics: { loggedInAfterLogin: false } };
  return undefined;
}

/**
 * The attacker's session id planted in the victim's jar before the victim logs in: fixated when
 * the attacker's own jar (the same id) is then logged in, safe when it is not.
 */
export function fixationVerdict(history: readonly CheckOp[], attacker: string, victim: string): Verdict {
  const visit = history.find((op) => op.process === attacker);
  if (!visit || visit.sessionState === 'none' || visit.sessionState === undefined) return { observed: 'no-session-before-login', metrics: { attackerCookie: false } };
  const failed = notLoggedIn(history, victim);
  if (failed) return failed;
  const login = lastOf(history, victim, checkActions.login)!;
  const metrics = { idChangedAtLogin: login.session !== visit.session };
  const asked = asks(history, attacker, login.endedMs);
  if (asked.length === 0) return { observed: 'inconclusive', metrics };
  const opened = asked.find((op) => op.loggedIn);
  if (opened) return { observed: 'fixated', metrics, firstBad: firstBad(opened, 'the planted session id to stay logged out', 'logged in as the victim') };
  return { observed: 'safe', metrics };
}

/**
 * A copy of the jar taken while logged in, asked again after the owner logged out: replayable
 * when it is still logged in, ended when not; logout-broken when the owner itself stays logged in.
 */
export function logoutReplayVerdict(history: readonly CheckOp[], owner: string, thief: string): Verdict {
  const failed = notLoggedIn(history, owner);
  if (failed) return failed;
  const logout = lastOf(history, owner, checkActions.logout)!;
  const before = asks(history, thief).filter((op) => op.endedMs <= logout.startedMs);
  if (before.length === 0 || !before.every((op) => op.loggedIn)) return { observed: 'inconclusive', metrics: { copyWorkedBeforeLogout: false } };
  if (logout.type !== 'ok') return { observed: 'logout-broken', metrics: { logout: logout.status ?? 'no answer' }, firstBad: firstBad(logout, 'a 2xx or 3xx answer', logout.status ? `status ${logout.status}` : (logout.error ?? 'no answer')) };
  const ownerAfter = asks(history, owner, logout.endedMs);
  const stillIn = ownerAfter.find((op) => op.loggedIn);
  if (stillIn) return { observed: 'logout-broken', metrics: {}, firstBad: firstBad(stillIn, 'logged out after the logout', 'still logged in') };
  const replays = asks(history, thief, logout.endedMs);
  if (replays.length === 0) return { observed: 'inconclusive', metrics: { replays: 0 } };
  const metrics = { replays: replays.length, replayedLoggedIn: replays.filter((op) => op.loggedIn).length };
  const replayed = replays.find((op) => op.loggedIn);
  if (replayed) return { observed: 'replayable', metrics, firstBad: firstBad(replayed, 'the copied cookie to be logged out', 'logged in with a cookie of before the logout') };
  return { observed: 'ended', metrics };
}

/**
 * Two devices of one user, one logs out everywhere: reached when neither is logged in afterwards
 * on any node, missed when one still is; not-shared when the other device's login did not hold
 * across the nodes before (each node its own sessions: round-robin says so).
 */
export function logoutEverywhereVerdict(history: readonly CheckOp[], first: string, second: string): Verdict {
  for (const device of [first, second]) {
    const failed = notLoggedIn(history, device);
    if (failed) return failed;
  }
  const everywhere = lastOf(history, first, checkActions.logoutEverywhere)!;
  if (everywhere.type !== 'ok') return { observed: 'inconclusive', metrics: { logoutEverywhere: everywhere.status ?? 'no answer' } };
  const before = asks(history, second).filter((op) => op.endedMs <= everywhere.startedMs);
  const nodesBefore = [...new Set(before.map((op) => op.servedBy))].join(',');
  if (!before.every((op) => op.loggedIn)) return { observed: 'not-shared', metrics: { loggedInBefore: `${before.filter((op) => op.loggedIn).length} of ${before.length}`, nodes: nodesBefore } };
  const after = [first, second].flatMap((device) => asks(history, device, everywhere.endedMs)).sort((a, b) => a.index - b.index);
  if (after.length === 0) return { observed: 'inconclusive', metrics: { asksAfter: 0 } };
  const metrics = { asksAfter: after.length, stillLoggedIn: after.filter((op) => op.loggedIn).length, nodes: [...new Set(after.map((op) => op.servedBy))].sort().join(',') };
  const missed = after.find((op) => op.loggedIn);
  if (missed) return { observed: 'missed', metrics, firstBad: firstBad(missed, 'logged out everywhere', `still logged in on ${missed.servedBy ?? 'no node'}`) };
  return { observed: 'reached', metrics };
}

/**
 * The login part of the contract: each logged-in? ask answered as the contract's steps expect
 * (logged out before the login and after the logout, logged in between), and the login itself
 * answered 2xx or 3xx. Undefined when it holds.
 */
export function loginContractBreak(history: readonly CheckOp[]): Verdict | undefined {
  const metrics = { loginAsks: history.filter((op) => op.action === checkActions.loggedIn).length };
  const failedRequest = history.find((op) => [checkActions.signup, checkActions.login, checkActions.logout].includes(op.action as never) && op.type !== 'ok');
  if (failedRequest) return { observed: 'broken', metrics, firstBad: firstBad(failedRequest, 'a 2xx or 3xx answer', failedRequest.status ? `status ${failedRequest.status}` : (failedRequest.error ?? 'no answer')) };
  for (const op of history.filter((o) => o.action === checkActions.loggedIn)) {
    const expect = op.args?.expect as string | undefined;
    if (op.status === undefined) return { observed: 'broken', metrics, firstBad: firstBad(op, 'an answer', op.error ?? 'no answer') };
    if (expect === 'logged-in' && !op.loggedIn) return { observed: 'broken', metrics, firstBad: firstBad(op, 'a logged-in answer (2xx, the body matching login.loggedIn.pattern)', `status ${op.status} whose body does not match`) };
    if (expect === 'logged-out' && op.loggedIn) return { observed: 'broken', metrics, firstBad: firstBad(op, 'a logged-out answer', 'an answer that matches login.loggedIn.pattern: the pattern cannot tell logged in from logged out') };
  }
  return undefined;
}
