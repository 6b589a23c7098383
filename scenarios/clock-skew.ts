import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { clockSkewVerdict } from './shop/checkers/clock-skew.ts';
import { expiryVerdict } from './shop/checkers/login.ts';
import { shopDevice } from './shop/device.ts';
import { loginsPastTheirTtl } from './token-expiry.ts';

/** Ten minutes: more than the 5-minute sessions of the *-5min-ttl topologies. */
const skewSeconds = 600;

// Five devices get a session and a cart line through nginx round robin. Then server_2 starts again
// with its clock ten minutes ahead, and the devices go on shopping, one request each in turn: with
// an odd number of devices, each device's requests alternate between the two nodes. Whether a session survives depends on whose clock decides its
// expiry: the store's own (Redis counts a TTL down itself), or the node's that reads it.
async function shopAcrossSkew(lab: Lab): Promise<void> {
  const devices = Array.from({ length: 5 }, (_, i) => shopDevice(lab, `device-${i + 1}`));
  for (const device of devices) {
    await device.viewCart();
    await device.add('apple');
  }
  await lab.fault('skew', `server_2 +${skewSeconds}`);
  for (let round = 0; round < 4; round++) {
    for (const device of devices) await device.add(`pear-${round}`);
  }
  for (const device of devices) await device.viewCart();
}

export const clockSkewPostgres: Scenario<ShopOp> = {
  name: 'clock-skew-postgres',
  summary: 'postgres-2-5min-ttl: server_2 runs ten minutes ahead; connect-pg-simple compares each row’s expiry with the reading node’s clock, so server_2 finds every session server_1 wrote expired, and what server_2 writes lives ten minutes longer.',
  topology: 'postgres-2-5min-ttl',
  expected: 'sessions-end-early',
  needs: ['clock-skew'],
  run: shopAcrossSkew,
  check: clockSkewVerdict,
};

export const clockSkewCookie: Scenario<ShopOp> = {
  ...clockSkewPostgres,
  name: 'clock-skew-cookie',
  summary: 'cookie-2-5min-ttl: server_2 runs ten minutes ahead; the sealed cookie’s expiry is set by the sealing node and checked by the opening one, so server_2 rejects every seal server_1 makes, and each add on server_1 loses the cart again.',
  topology: 'cookie-2-5min-ttl',
};

export const clockSkewRedis: Scenario<ShopOp> = {
  ...clockSkewPostgres,
  name: 'clock-skew-redis',
  summary: 'redis-2-5min-ttl: server_2 runs ten minutes ahead; connect-redis hands Redis a TTL in seconds, which Redis counts down on its own clock, so no session ends early (only the cookie’s Expires that server_2 sets is ten minutes late).',
  topology: 'redis-2-5min-ttl',
  expected: 'sessions-unaffected',
};

// A login token's expiry lives in its PostgreSQL row and is compared with PostgreSQL's now(), never
// a node's clock: with server_2 ten minutes behind, logins still end at their 2 s TTL on both nodes.
export const clockSkewToken: Scenario<ShopOp> = {
  name: 'clock-skew-token',
  summary: 'postgres-2-short-token-ttl: server_2 runs ten minutes behind; logins that last 2 s still end on every node, since the token row’s expiry is compared with PostgreSQL’s now().',
  topology: 'postgres-2-short-token-ttl',
  expected: 'expired-everywhere',
  needs: ['clock-skew'],
  async run(lab) {
    await lab.fault('skew', `server_2 -${skewSeconds}`);
    await loginsPastTheirTtl(lab);
  },
  check: expiryVerdict,
};
