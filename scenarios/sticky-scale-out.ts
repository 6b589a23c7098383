import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { scaleOutVerdict } from './shop/checkers/scaling.ts';
import { shopDevice, type ShopDevice } from './shop/device.ts';

/**
 * With the cookie hash, where each session lands is chance: 100 users make a run where nobody
 * lands on server_3 vanishingly rare (its share of the ring was 10–23 % in the runs measured).
 * ip_hash is deterministic for fixed addresses, and 30 of them spread over a /24 each.
 */
const cookieUsers = 100;
const ipUsers = 30;

/**
 * Reads the cart until two answers in a row come from one node with the session it held: with a
 * hash on the cookie, a first session may be made on a node its id does not hash to (see
 * sticky-cookie), and only a session that hashes home stays put. At most 10 reads.
 */
async function settle(device: ShopDevice): Promise<void> {
  let last: ShopOp | undefined;
  for (let i = 0; i < 10; i++) {
    const op = await device.viewCart();
    if (op.sessionState === 'existing' && last?.sessionState === 'existing' && op.servedBy === last.servedBy) return;
    last = op;
  }
}

// A third node joins a sticky topology whose nodes keep sessions on their own disks. The hash now
// has three nodes to choose from, and every user it sends elsewhere arrives where their session
// is not: their cart is gone. How many move depends on the hash. Users of ingress-nginx's cookie
// affinity lost their sessions when a deployment was scaled
// (https://github.com/kubernetes/ingress-nginx/issues/4475); its "persistent" affinity mode came
// of it (https://github.com/kubernetes/ingress-nginx/pull/4513).
async function joinUnderSticky(lab: Lab, users: number, addressOf?: (i: number) => string): Promise<void> {
  const devices = Array.from({ length: users }, (_, i) => shopDevice(lab, `user-${String(i + 1).padStart(2, '0')}`, addressOf ? { localAddress: addressOf(i) } : {}));
  for (const device of devices) {
    await settle(device);
    await device.add('apple');
  }
  await lab.fault('scale-out', '');
  for (const device of devices) await device.viewCart();
}

export const stickyScaleOut: Scenario<ShopOp> = {
  name: 'sticky-scale-out',
  summary: `${cookieUsers} users settled on file-2-sticky-cookie (hash $cookie_lab_sid consistent); server_3 joins: the users the hash now sends to it lose their carts.`,
  topology: 'file-2-sticky-cookie',
  expected: 'moved-users-lost-carts',
  fresh: 'it adds a node to the topology',
  run: (lab) => joinUnderSticky(lab, cookieUsers),
  check: scaleOutVerdict,
};

// ip_hash is no consistent hash: the node is the hash modulo the number of nodes, so going from
// two to three moves far more users than the third that must move.
export const stickyScaleOutIp: Scenario<ShopOp> = {
  name: 'sticky-scale-out-ip',
  summary: `${ipUsers} users, each from an address of its own, on file-2-sticky-ip (ip_hash); server_3 joins: ip_hash moves more of them than a consistent hash, and each one moved loses the cart.`,
  topology: 'file-2-sticky-ip',
  needs: ['client-addresses'],
  expected: 'moved-users-lost-carts',
  fresh: 'it adds a node to the topology',
  run: (lab) => joinUnderSticky(lab, ipUsers, (i) => `127.0.${i + 1}.1`),
  check: scaleOutVerdict,
};
