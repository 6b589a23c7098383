import { expiryVerdict } from './shop/checkers/login.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';
import { labPassword } from './shop/steps.ts';
import { appServices } from '../runner/topology.ts';
import type { Lab } from '../runner/lab.ts';

// A session record says how long a login lasts (the article's expiresAt): past it, no node lets it in.
export const tokenExpiry: Scenario<ShopOp> = {
  name: 'token-expiry',
  summary: 'Logins that last 2 s: after the TTL, every node answers 401 session expired.',
  topology: 'postgres-2-short-token-ttl',
  expected: 'expired-everywhere',
  run: (lab) => loginsPastTheirTtl(lab),
  check: expiryVerdict,
};

/**
 * Two apps log in as one user, use it, wait the login TTL out, then present their tokens twice
 * more each (on both nodes): the steps of every login-expiry scenario.
 */
export async function loginsPastTheirTtl(lab: Lab): Promise<void> {
  const ttlSeconds = Number(appServices(lab.running.topology)[0]!.environment.SESSION_TOKEN_TTL_SECONDS);
  const username = `linus-${Date.now().toString(36)}`;
  // Apps with bearer tokens: the expired token stays on the device, so every request after the TTL presents it.
  const phone = shopDevice(lab, 'phone', { bearer: true });
  const laptop = shopDevice(lab, 'laptop', { bearer: true });
  await phone.signup(username, labPassword);
  await laptop.login(username, labPassword);
  await phone.me();
  await laptop.viewCart();
  await lab.wait(ttlSeconds * 1000 + 500, `the ${ttlSeconds} s login TTL to pass`);
  for (const device of [phone, laptop, phone, laptop]) await device.me();
}
