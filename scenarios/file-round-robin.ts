import { cartVerdict } from './shop/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';

// The article's "my cart disappeared": server_2 has no file for server_1's session.
export const fileRoundRobin: Scenario<ShopOp> = {
  name: 'file-round-robin',
  summary: 'Two nodes, each with session files on its own disk, round robin: the cart is lost as requests alternate.',
  topology: 'file-2',
  expected: 'cart-lost',
  async run(lab) {
    const laptop = shopDevice(lab, 'laptop');
    for (const sku of ['apple', 'bread', 'coffee', 'tea']) {
      await laptop.add(sku);
      await laptop.viewCart();
    }
  },
  check: cartVerdict,
};
