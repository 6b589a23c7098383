import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';
import type { ShopOp } from './shop/actions.ts';
import { expiryVerdict } from './shop/checkers/expiry.ts';
import { shopDevice } from './shop/device.ts';

const reads = 6;
const readEveryMs = 1000;

// The cookie's expiry and the store's are two clocks: express-session sets the cookie's, the store
// its own TTL. Where one is extended and the other is not, they part. A rolling cookie over a
// store whose expiry only a save moves logs an active user out while the cookie is valid
// (expressjs/session#718); a store TTL that ignores the cookie's maxAge keeps a session alive
// long after its cookie expired, for whoever kept a copy (tj/connect-redis#92). The shop's lazy
// touch extends both together. A device adds, reads once a second, then stays away until its
// cookie has expired, and reads once more with it.
async function readThenComeBackLate(lab: Lab): Promise<void> {
  const ttlSeconds = Number(appServices(lab.running.topology)[0]!.environment.SESSION_TTL_SECONDS);
  const browser = shopDevice(lab, 'browser');
  await browser.add('apple');
  for (let i = 0; i < reads; i++) {
    await lab.wait(readEveryMs, 'a second between reads');
    await browser.viewCart();
  }
  await lab.wait(ttlSeconds * 1000 + 2000, `the cookie's ${ttlSeconds} s expiry to pass by 2 s`);
  await browser.viewCart();
}

export const storeTtlVsCookie: Scenario<ShopOp> = {
  name: 'store-ttl-vs-cookie',
  summary: `redis-2-rolling-cookie (TTL 4 s, SESSION_ROLLING, SESSION_STORE_TOUCH=false): the cookie is sent again with every read, the store keeps the session 4 s after its save; reading once a second, the user is logged out with a cookie valid for seconds more.`,
  topology: 'redis-2-rolling-cookie',
  expected: 'logged-out-with-valid-cookie',
  run: readThenComeBackLate,
  check: expiryVerdict,
};

export const storeTtlOutlivesCookie: Scenario<ShopOp> = {
  ...storeTtlVsCookie,
  name: 'store-ttl-outlives-cookie',
  summary: `redis-2-store-ttl-1h (cookie 4 s, SESSION_STORE_TTL_SECONDS=3600): the cookie expires, the store keeps the session an hour; the expired cookie still opens it, cart and all.`,
  topology: 'redis-2-store-ttl-1h',
  expected: 'kept-past-cookie',
};

export const storeTtlWithCookie: Scenario<ShopOp> = {
  ...storeTtlVsCookie,
  name: 'store-ttl-with-cookie',
  summary: `redis-2-4s-ttl (TTL 4 s, the shop's lazy touch): every read with a valid cookie finds the session, and the expired cookie finds it ended: cookie and store expire together.`,
  topology: 'redis-2-4s-ttl',
  expected: 'expiry-together',
};
