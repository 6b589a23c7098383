// What cookie-less traffic (health checks, uptime pingers, bots) costs the session store: the
// store's own count of sessions, read between the phases of a run, against what each phase sent.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { shopActions, type ShopOp } from '../actions.ts';

/** The labels of the /debug/sessions reads, in the order a run takes them. */
export const sessionCounts = {
  before: 'before',
  afterUsers: 'after-users',
  afterHealthChecks: 'after-health-checks',
  afterPingers: 'after-pingers',
} as const;

/** The devices of a run: real users, the balancer's health checks (/healthz), uptime pingers (the home page). */
export const probeRunDevices = { healthCheck: 'health-check', pinger: 'pinger' } as const;

export function describeSessionCount(body: unknown): string {
  const sessions = (body as { sessions?: unknown } | undefined)?.sessions;
  return typeof sessions === 'number' ? `${sessions} sessions in the store` : '';
}

function countAt(history: readonly ShopOp[], label: string): number | undefined {
  const op = history.find((o) => o.process === enginePrincipals.probe && o.args?.label === label && o.type === 'ok');
  const sessions = (op?.value as { sessions?: unknown } | undefined)?.sessions;
  return typeof sessions === 'number' ? sessions : undefined;
}

const secondsPerHour = 3600;

/**
 * store-flooded: the pingers' requests, which carry no cookie, left sessions in the store.
 * no-probe-sessions: neither they nor the health checks left any, and every user kept the cart
 * it added. users-lost-carts: a user's cart was gone on its next read (a remedy that breaks the
 * shop is none). inconclusive: a count is missing or a phase sent nothing.
 */
export function probeSessionsVerdict(history: readonly ShopOp[]): Verdict {
  const [before, afterUsers, afterHealthChecks, afterPingers] = Object.values(sessionCounts).map((label) => countAt(history, label));
  const sent = (device: string) => history.filter((op) => op.process === device && op.action === shopActions.getPath && op.type === 'ok').length;
  const healthChecks = sent(probeRunDevices.healthCheck);
  const pings = sent(probeRunDevices.pinger);
  const users = history.filter((op) => op.action === shopActions.addItem && op.type === 'ok');
  if (before === undefined || afterUsers === undefined || afterHealthChecks === undefined || afterPingers === undefined || healthChecks === 0 || pings === 0 || users.length === 0) {
    return { observed: 'inconclusive', metrics: { healthChecks, pings, users: users.length } };
  }
  const perPing = (afterPingers - afterHealthChecks) / pings;
  const metrics = {
    users: users.length,
    userSessions: afterUsers - before,
    healthChecks,
    healthCheckSessions: afterHealthChecks - afterUsers,
    pings,
    pingSessions: afterPingers - afterHealthChecks,
    sessionsPerPing: Number(perPing.toFixed(2)),
    perHourAtOnePingPer10s: Math.round((perPing * secondsPerHour) / 10),
    perHourAtOnePingPerSecond: Math.round(perPing * secondsPerHour),
  };
  // Each user's next read after its add must show the add.
  const reads = users.map((add) => ({ add, read: history.find((op) => op.process === add.process && op.index > add.index && op.action === shopActions.viewCart) }));
  const lost = reads.find(({ add, read }) => read && !read.cart?.some((line) => line.sku === add.args?.sku))?.read;
  if (lost) return { observed: 'users-lost-carts', metrics, firstBad: firstBad(lost, 'the item this user added', `${lost.sessionState ?? 'no answer'}, ${lost.cart?.length ?? 0} lines`) };
  if (metrics.pingSessions > 0 || metrics.healthCheckSessions > 0) {
    // The evidence: the first cookie-less request answered with a session cookie of its own.
    const probesOps = history.filter((op) => (op.process === probeRunDevices.pinger || op.process === probeRunDevices.healthCheck) && op.action === shopActions.getPath);
    const first = probesOps.find((op) => op.cookieBytes !== undefined) ?? probesOps.find((op) => op.process === probeRunDevices.pinger)!;
    return { observed: 'store-flooded', metrics, firstBad: firstBad(first, 'no session stored for a request that carries no cookie', `a new session and its cookie (${metrics.sessionsPerPing} stored per ping)`) };
  }
  return { observed: 'no-probe-sessions', metrics };
}
