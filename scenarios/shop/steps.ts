import type { Lab } from '../../runner/lab.ts';
import { shopDevice } from './device.ts';

/** The password every scenario's users sign up with. */
export const labPassword = 'correct horse battery';

/** One node: fill a cart, restart the node, look at the cart again with the same cookie. */
export async function cartAcrossRestart(lab: Lab): Promise<void> {
  const phone = shopDevice(lab, 'phone');
  await phone.add('apple', 2);
  await phone.add('bread', 1);
  await phone.viewCart();
  await lab.fault('restart', 'server_1');
  await phone.viewCart();
}

/**
 * Two nodes: build a cart through round robin, restart server_1 between steps, and keep going
 * until both nodes have answered again.
 */
export async function buildCartAcrossRestart(lab: Lab): Promise<void> {
  const laptop = shopDevice(lab, 'laptop');
  for (const sku of ['apple', 'bread']) {
    await laptop.add(sku);
    await laptop.viewCart();
  }
  await lab.fault('restart', 'server_1');
  await lab.untilBalancerReaches(['server_1', 'server_2']);
  for (const sku of ['coffee', 'tea']) {
    await laptop.add(sku);
    await laptop.viewCart();
  }
}
