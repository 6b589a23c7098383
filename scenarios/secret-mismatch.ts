import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { hopVerdict } from './shop/checkers/secret.ts';
import { shopDevice } from './shop/device.ts';

// A node deployed with another SESSION_SECRET: the shared Redis holds every session, but each node
// refuses the other's cookie signature, so every hop of round robin starts a new session (lost).
export const secretMismatch: Scenario<ShopOp> = {
  name: 'secret-mismatch',
  summary: 'Two nodes with different SESSION_SECRET on one shared Redis, round robin: every hop to the other node is lost although the store holds the session.',
  topology: 'redis-2-secret-mismatch',
  expected: 'lost-on-every-hop',
  async run(lab) {
    const laptop = shopDevice(lab, 'laptop');
    await laptop.add('apple');
    for (let i = 0; i < 5; i++) await laptop.viewCart();
  },
  check: hopVerdict,
};
