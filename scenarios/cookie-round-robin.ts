import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { cartVerdict } from './shop/checkers/cart.ts';
import { shopDevice } from './shop/device.ts';

// The fourth strategy: no server state. Any node opens the sealed cookie, so neither round robin
// nor a restart of every node can lose the cart.
export const cookieRoundRobin: Scenario<ShopOp> = {
  name: 'cookie-round-robin',
  summary: 'Two nodes, no store, the session sealed in the cookie: the cart survives round robin and a restart of both nodes.',
  topology: 'cookie-2',
  expected: 'cart-kept',
  async run(lab) {
    const laptop = shopDevice(lab, 'laptop');
    for (const sku of ['apple', 'bread']) {
      await laptop.add(sku);
      await laptop.viewCart();
    }
    await lab.fault('restart', 'server_1');
    await lab.fault('restart', 'server_2');
    // Round robin is only exercised again once nginx sends requests to both restarted nodes.
    await lab.untilBalancerReaches(['server_1', 'server_2']);
    for (const sku of ['coffee', 'tea']) {
      await laptop.add(sku);
      await laptop.viewCart();
    }
  },
  check: cartVerdict,
};
