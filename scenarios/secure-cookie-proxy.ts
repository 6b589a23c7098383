import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { secureCookieVerdict } from './shop/checkers/secure-cookie.ts';
import { shopDevice, type ShopDevice } from './shop/device.ts';

const nodes = ['server_1', 'server_2'];

async function shop(devices: readonly ShopDevice[], sku: string): Promise<void> {
  for (const device of devices) {
    await device.add(sku);
    await device.viewCart();
    await device.viewCart();
  }
}

// nginx terminates TLS and the nodes set COOKIE_SECURE=true. First the nodes are redeployed
// without TRUST_PROXY: they see plain http from nginx, take every request for insecure and never
// send the Secure cookie, so every request starts a new session and every cart is forgotten.
// Then the operator's fix, TRUST_PROXY=1 on each node: X-Forwarded-Proto: https is believed and
// sessions work.
export const secureCookieProxy: Scenario<ShopOp> = {
  name: 'secure-cookie-proxy',
  summary: 'redis-2-tls (nginx terminates TLS, COOKIE_SECURE=true): without TRUST_PROXY no cookie is ever set and every request is new; with TRUST_PROXY=1 sessions work.',
  topology: 'redis-2-tls',
  expected: 'cookie-needs-trust-proxy',
  async run(lab) {
    const devices = ['laptop', 'phone', 'tablet'].map((name) => shopDevice(lab, name));
    for (const node of nodes) await lab.redeploy(node, { TRUST_PROXY: 'false' });
    await shop(devices, 'apple');
    for (const node of nodes) await lab.redeploy(node, { TRUST_PROXY: '1' });
    await shop(devices, 'bread');
  },
  check: secureCookieVerdict,
};
