import { userCartVerdict } from './shop/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';
import { labPassword } from './shop/steps.ts';

// The article's last step: with a login, the cart lives in the database, so it follows the user
// to every device and every node, on the very topology that loses anonymous carts.
export const loginMultiDevice: Scenario<ShopOp> = {
  name: 'login-multi-device',
  summary: 'Two devices log in as one user on file-2 (per-node session files): both see one cart, on every node.',
  topology: 'file-2',
  expected: 'one-cart-everywhere',
  async run(lab) {
    const username = `ada-${Date.now().toString(36)}`;
    const phone = shopDevice(lab, 'phone');
    const laptop = shopDevice(lab, 'laptop');
    await phone.signup(username, labPassword);
    await laptop.login(username, labPassword);
    await phone.add('apple');
    await laptop.add('tea', 2);
    for (let round = 0; round < 2; round++) {
      await phone.viewCart();
      await laptop.viewCart();
    }
    await phone.add('bread');
    await laptop.viewCart();
  },
  check: userCartVerdict,
};
