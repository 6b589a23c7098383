import { separateSessionsVerdict } from './shop/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';

// Even a shared store cannot make two devices one user: each cookie is its own session.
export const multiDevice: Scenario<ShopOp> = {
  name: 'multi-device',
  summary: 'One user on a phone and a laptop, shared Redis: two sessions and two carts, whichever node answers.',
  topology: 'redis-2',
  expected: 'separate-sessions',
  async run(lab) {
    const phone = shopDevice(lab, 'phone');
    const laptop = shopDevice(lab, 'laptop');
    await phone.add('apple');
    await laptop.add('tea');
    for (let round = 0; round < 2; round++) {
      await phone.viewCart();
      await laptop.viewCart();
    }
  },
  check: separateSessionsVerdict,
};
