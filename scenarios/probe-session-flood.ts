import { appServices } from '../runner/topology.ts';
import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { describeSessionCount, probeRunDevices, probeSessionsVerdict, sessionCounts } from './shop/checkers/probe-sessions.ts';
import { shopDevice } from './shop/device.ts';

const users = 3;
const probes = 100;

// Requests that carry no cookie: a balancer's health check, an uptime pinger on the home page, a
// crawler. With saveUninitialized on, express-session stores a session for each of them: a
// health check on "/" every second filled a sessions table with hundreds of thousands of rows
// (expressjs/session#541), a container health check every 15 s grows one for ever
// (hedgedoc/hedgedoc#5429). Counted by
// the store itself between phases: users, then health checks on /healthz (outside the session
// middleware), then pingers on the home page.
async function probesBesideUsers(lab: Lab): Promise<void> {
  const node = appServices(lab.running.topology)[0]!.name;
  const count = (label: string) => lab.probe(node, '/debug/sessions', label, describeSessionCount);
  await count(sessionCounts.before);
  for (let i = 1; i <= users; i++) {
    const user = shopDevice(lab, `user-${i}`);
    await user.add(`sku-${i}`);
    await user.viewCart();
  }
  await count(sessionCounts.afterUsers);
  for (const [name, path] of [[probeRunDevices.healthCheck, '/healthz'], [probeRunDevices.pinger, '/']] as const) {
    const probe = shopDevice(lab, name);
    for (let i = 0; i < probes; i++) {
      probe.useSessionCookie(undefined);
      await probe.getPath(path);
    }
    await count(name === probeRunDevices.healthCheck ? sessionCounts.afterHealthChecks : sessionCounts.afterPingers);
  }
}

export const probeSessionFlood: Scenario<ShopOp> = {
  name: 'probe-session-flood',
  summary: `postgres-2 (the shop stores a session at a visitor's first request): ${probes} cookie-less pings of the home page leave ${probes} sessions in PostgreSQL, while ${probes} health checks on /healthz leave none.`,
  topology: 'postgres-2',
  expected: 'store-flooded',
  run: probesBesideUsers,
  check: probeSessionsVerdict,
};

export const probeSessionFloodRedis: Scenario<ShopOp> = {
  ...probeSessionFlood,
  name: 'probe-session-flood-redis',
  summary: `The same on redis-2: a key in Redis for every cookie-less ping.`,
  topology: 'redis-2',
};

export const probeSessionFloodRemedy: Scenario<ShopOp> = {
  ...probeSessionFlood,
  name: 'probe-session-flood-remedy',
  summary: `postgres-2-save-when-used (SESSION_SAVE_UNINITIALIZED=false): the same pings leave no session; a user's session is stored at its first cart change, and every user keeps its cart.`,
  topology: 'postgres-2-save-when-used',
  expected: 'no-probe-sessions',
};
