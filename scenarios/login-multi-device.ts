import { userCartVerdict } from '../runner/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import { labPassword } from './steps.ts';

// The article's last step: with a login, the cart lives in the database, so it follows the user
// to every device and every node, on the very topology that loses anonymous carts.
export const loginMultiDevice: Scenario = {
  name: 'login-multi-device',
  summary: 'Two devices log in as one user on file-2 (per-node session files): both see one cart, on every node.',
  topology: 'file-2',
  expected: 'one-cart-everywhere',
  async run(lab) {
    const username = `ada-${Date.now().toString(36)}`;
    const phone = lab.device('phone');
    const laptop = lab.device('laptop');
    await phone.signup(username, labPassword);
    await laptop.login(username, labPassword);
    await phone.add('apple');
    await laptop.add('tea', 2);
    for (let round = 0; round < 2; round++) {
      await phone.read();
      await laptop.read();
    }
    await phone.add('bread');
    await laptop.read();
  },
  check: userCartVerdict,
};
