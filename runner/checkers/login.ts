// Verdicts on logins: revocation, expiry, and the session id across a login. Pure functions of
// the history, like every checker.
import type { Op } from '../history.ts';
import type { Verdict } from '../scenario.ts';

const tokenActions = new Set(['me', 'read', 'add', 'remove', 'list-sessions']);

function errorOf(op: Op): string | undefined {
  return (op.value as { error?: unknown } | undefined)?.error as string | undefined;
}

function nodes(ops: readonly Op[]): string[] {
  return [...new Set(ops.map((op) => op.servedBy).filter((n): n is string => n !== undefined))].sort();
}

/**
 * revoked-everywhere: after device A revoked device B, every request of B was refused with
 * "session revoked" (by two or more nodes) while A kept working; after logout-all, every request
 * with any of the user's tokens was refused (by two or more nodes). revocation-leaked: a request
 * with a revoked token got through. inconclusive: the run lacks a step the verdict needs.
 */
export function revocationVerdict(history: readonly Op[]): Verdict {
  const revoke = history.find((op) => op.action === 'revoke' && op.type === 'ok');
  const logoutAll = history.find((op) => op.action === 'logout-all' && op.type === 'ok');
  if (!revoke || !logoutAll) return { observed: 'inconclusive', metrics: { revoked: Boolean(revoke), loggedOutAll: Boolean(logoutAll) } };
  const revokedDevice = String(revoke.args?.device);
  const between = history.filter((op) => op.index > revoke.index && op.index < logoutAll.index && tokenActions.has(op.action));
  const revokedOps = between.filter((op) => op.process === revokedDevice);
  const revokerOps = between.filter((op) => op.process === revoke.process);
  const afterAll = history.filter((op) => op.index > logoutAll.index && tokenActions.has(op.action));
  const refusedAsRevoked = (op: Op) => op.status === 401 && errorOf(op) === 'session_revoked';
  const metrics = {
    revokedDeviceRequests: revokedOps.length,
    revokedDeviceRefusedBy: nodes(revokedOps.filter(refusedAsRevoked)).join(' '),
    revokerRequestsOk: revokerOps.filter((op) => op.type === 'ok').length,
    requestsAfterLogoutAll: afterAll.length,
    refusedAfterLogoutAllBy: nodes(afterAll.filter(refusedAsRevoked)).join(' '),
  };
  // A leak is an answer for the user; an anonymous answer (no token sent) leaks nothing.
  const leaked = [...revokedOps, ...afterAll].some((op) => op.type === 'ok' && op.user !== undefined);
  if (leaked) return { observed: 'revocation-leaked', metrics };
  const complete =
    revokedOps.length > 0 &&
    revokedOps.every(refusedAsRevoked) &&
    nodes(revokedOps).length >= 2 &&
    revokerOps.length > 0 &&
    revokerOps.every((op) => op.type === 'ok') &&
    afterAll.some(refusedAsRevoked) &&
    nodes(afterAll.filter(refusedAsRevoked)).length >= 2 &&
    afterAll.every((op) => op.status === 401);
  return { observed: complete ? 'revoked-everywhere' : 'inconclusive', metrics };
}

/**
 * expired-everywhere: before the wait every token worked; after it, every request with a token was
 * refused with "session expired", by two or more nodes. still-valid: one got through.
 */
export function expiryVerdict(history: readonly Op[]): Verdict {
  const wait = history.find((op) => op.action === 'wait');
  if (!wait) return { observed: 'inconclusive', metrics: {} };
  const before = history.filter((op) => op.index < wait.index && tokenActions.has(op.action));
  const after = history.filter((op) => op.index > wait.index && tokenActions.has(op.action));
  const expired = after.filter((op) => op.status === 401 && errorOf(op) === 'session_expired');
  const metrics = {
    waitedMs: Number(wait.args?.ms),
    requestsBefore: before.length,
    okBefore: before.filter((op) => op.type === 'ok').length,
    requestsAfter: after.length,
    expiredAfter: expired.length,
    refusedBy: nodes(expired).join(' '),
  };
  if (after.some((op) => op.type === 'ok' && op.user !== undefined)) return { observed: 'still-valid', metrics };
  const complete = before.length > 0 && metrics.okBefore === before.length && after.length > 0 && expired.length === after.length && nodes(expired).length >= 2;
  return { observed: complete ? 'expired-everywhere' : 'inconclusive', metrics };
}

/**
 * session-regenerated: the victim's session id changed at login, and a device holding the id from
 * before login found that session lost, not logged in. session-fixed: the id survived the login
 * (a session fixation hole).
 */
export function fixationVerdict(history: readonly Op[], victim: string, attacker: string): Verdict {
  const login = history.find((op) => op.process === victim && op.action === 'login' && op.type === 'ok');
  if (!login) return { observed: 'inconclusive', metrics: { loggedIn: false } };
  const before = history.filter((op) => op.process === victim && op.index < login.index && op.type === 'ok').at(-1);
  const after = history.find((op) => op.process === victim && op.index > login.index && op.type === 'ok');
  const stolen = history.find((op) => op.process === attacker && op.index > login.index);
  const metrics = {
    sessionBeforeLogin: before?.session ?? 'none',
    sessionAfterLogin: after?.session ?? 'none',
    stolenCookieState: stolen?.sessionState ?? 'none',
    stolenCookieUser: stolen?.user ?? 'none',
  };
  if (!before?.session || !after?.session || !stolen) return { observed: 'inconclusive', metrics };
  if (before.session === after.session || stolen.user !== undefined) return { observed: 'session-fixed', metrics };
  return { observed: stolen.sessionState === 'lost' ? 'session-regenerated' : 'inconclusive', metrics };
}
