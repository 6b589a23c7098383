import { separateSessionsVerdict } from '../runner/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';

// Even a shared store cannot make two devices one user: each cookie is its own session.
export const multiDevice: Scenario = {
  name: 'multi-device',
  summary: 'One user on a phone and a laptop, shared Redis: two sessions and two carts, whichever node answers.',
  topology: 'redis-2',
  expected: 'separate-sessions',
  async run(lab) {
    const phone = lab.device('phone');
    const laptop = lab.device('laptop');
    await phone.add('apple');
    await laptop.add('tea');
    for (let round = 0; round < 2; round++) {
      await phone.read();
      await laptop.read();
    }
  },
  check: separateSessionsVerdict,
};
