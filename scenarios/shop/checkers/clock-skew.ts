// Nodes whose clocks disagree: which sessions end early, on which node? A pure function of the
// history: each device's session before the skew, and what every answer after it said of that
// session (existing, or new/lost: the node did not find it, or found it expired by its own clock).
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The skew is the first `skew` (its target `server_2 +600`). sessions-end-early: after it, a node
 * answered a device that had a session with a new or lost one; sessions-unaffected: every answer
 * after the skew found the device's session; inconclusive: no skew, or no device with a session
 * before it. The metrics say on which node the sessions ended, and how far ahead each node set
 * the cookie's Expires (its own clock's idea of now plus the TTL).
 */
export function clockSkewVerdict(history: readonly ShopOp[]): Verdict {
  const skew = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'skew' && op.type === 'ok');
  if (!skew) return { observed: 'inconclusive', metrics: { skews: 0 } };
  const [skewed = '', seconds = ''] = String(skew.args?.target).trim().split(/\s+/);
  const requests = history.filter((op) => cartActions.has(op.action) && op.type === 'ok');
  // Every successful cart answer leaves the device holding a session (a cookie the node set or kept).
  const withSession = new Set(requests.filter((op) => op.index < skew.index).map((op) => op.process));
  const after = requests.filter((op) => op.index > skew.index && withSession.has(op.process));
  const ended = after.filter((op) => op.sessionState === 'new' || op.sessionState === 'lost');
  const endedOn = (node: string) => ended.filter((op) => op.servedBy === node).length;
  const others = [...new Set(after.map((op) => op.servedBy).filter((n): n is string => n !== undefined && n !== skewed))];
  const expiresBy = (isSkewed: boolean) => median(after.filter((op) => (op.servedBy === skewed) === isSkewed && op.cookieExpiresInSeconds !== undefined).map((op) => op.cookieExpiresInSeconds!));
  const carts = analyzeCarts(history);
  const metrics = {
    skew: `${skewed} ${seconds} s`,
    devices: withSession.size,
    answersAfterSkew: after.length,
    sessionsEndedOnSkewedNode: endedOn(skewed),
    sessionsEndedOnOtherNodes: others.reduce((sum, node) => sum + endedOn(node), 0),
    devicesThatLostTheirSession: new Set(ended.map((op) => op.process)).size,
    cookieExpiresInSecondsSkewedNode: expiresBy(true),
    cookieExpiresInSecondsOtherNodes: expiresBy(false),
    lostSessions: carts.lostSessions,
  };
  if (withSession.size === 0 || after.length === 0) return { observed: 'inconclusive', metrics };
  const first = ended[0];
  if (first) return { observed: 'sessions-end-early', metrics, firstBad: firstBad(first, 'the session the device had', `${first.sessionState} on ${first.servedBy ?? 'nginx'}`) };
  return { observed: 'sessions-unaffected', metrics };
}
