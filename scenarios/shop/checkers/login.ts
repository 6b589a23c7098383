// Verdicts on logins: revocation, expiry, and the session id across a login. Pure functions of
// the history, like every checker.
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { shopActions, type ShopOp } from '../actions.ts';

type Op = ShopOp;

/** Requests that present the device's login token and answer for its user. */
const tokenActions: ReadonlySet<string> = new Set([shopActions.me, shopActions.viewCart, shopActions.addItem, shopActions.removeItem, shopActions.listSessions]);

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
  const revoke = history.find((op) => op.action === shopActions.revoke && op.type === 'ok');
  const logoutAll = history.find((op) => op.action === shopActions.logoutAll && op.type === 'ok');
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
  const leaked = [...revokedOps, ...afterAll].find((op) => op.type === 'ok' && op.user !== undefined);
  if (leaked) return { observed: 'revocation-leaked', metrics, firstBad: firstBad(leaked, '401 session revoked', `${leaked.status} for user ${leaked.user}`) };
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
  const valid = after.find((op) => op.type === 'ok' && op.user !== undefined);
  if (valid) return { observed: 'still-valid', metrics, firstBad: firstBad(valid, '401 session expired', `${valid.status} for user ${valid.user}`) };
  const complete = before.length > 0 && metrics.okBefore === before.length && after.length > 0 && expired.length === after.length && nodes(expired).length >= 2;
  return { observed: complete ? 'expired-everywhere' : 'inconclusive', metrics };
}

/**
 * session-regenerated: the victim's session id changed at login, and a device that adopted the
 * victim's cookie from before the login found that session lost, not logged in. session-fixed:
 * the id survived the login (a session fixation hole). Victim and attacker are read from the
 * history: the attacker is the device that adopted another's cookie, the victim that device.
 */
export function fixationVerdict(history: readonly Op[]): Verdict {
  const adopted = history.find((op) => op.action === shopActions.adoptCookie);
  const attacker = adopted?.process;
  const victim = adopted ? String(adopted.args?.from) : undefined;
  const login = history.find((op) => op.process === victim && op.action === shopActions.login && op.type === 'ok');
  if (!adopted || !login) return { observed: 'inconclusive', metrics: { cookieAdopted: Boolean(adopted), loggedIn: Boolean(login) } };
  const before = history.filter((op) => op.process === victim && op.index < login.index && op.type === 'ok').at(-1);
  const after = history.find((op) => op.process === victim && op.index > login.index && op.type === 'ok');
  const stolen = history.find((op) => op.process === attacker && op.index > login.index && op.action !== shopActions.adoptCookie);
  const metrics = {
    sessionBeforeLogin: before?.session ?? 'none',
    sessionAfterLogin: after?.session ?? 'none',
    stolenCookieState: stolen?.sessionState ?? 'none',
    stolenCookieUser: stolen?.user ?? 'none',
  };
  if (!before?.session || !after?.session || !stolen) return { observed: 'inconclusive', metrics };
  if (stolen.user !== undefined) return { observed: 'session-fixed', metrics, firstBad: firstBad(stolen, 'a lost session', `logged in as ${stolen.user}`) };
  if (before.session === after.session) return { observed: 'session-fixed', metrics, firstBad: firstBad(after, 'a new session id after login', `the id from before login (${after.session})`) };
  return { observed: stolen.sessionState === 'lost' ? 'session-regenerated' : 'inconclusive', metrics };
}
