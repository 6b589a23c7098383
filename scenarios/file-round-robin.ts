import { cartVerdict } from '../runner/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';

// The article's "my cart disappeared": server_2 has no file for server_1's session.
export const fileRoundRobin: Scenario = {
  name: 'file-round-robin',
  summary: 'Two nodes, each with session files on its own disk, round robin: the cart is lost as requests alternate.',
  topology: 'file-2',
  expected: 'cart-lost',
  async run(lab) {
    const laptop = lab.device('laptop');
    for (const sku of ['apple', 'bread', 'coffee', 'tea']) {
      await laptop.add(sku);
      await laptop.read();
    }
  },
  check: cartVerdict,
};
