import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';
import type { ShopOp } from './shop/actions.ts';
import { cartVerdict } from './shop/checkers/cart.ts';
import { shopDevice } from './shop/device.ts';

// A rolling rotation of SESSION_SECRET on redis-2: each node in turn is redeployed with
// "new,old" (the new secret signs, both verify), then each with "new" alone. A client's cookie
// must be signed with the new secret before the old one goes: the nodes send an existing
// session's cookie again, newly signed, whenever it came with an older signature.
export const secretRotation: Scenario<ShopOp> = {
  name: 'secret-rotation',
  summary: 'redis-2: SESSION_SECRET rotated node by node ("new,old", then "new"): no session is lost at any step.',
  topology: 'redis-2',
  expected: 'cart-kept',
  async run(lab) {
    const old = appServices(lab.running.topology)[0]!.environment.SESSION_SECRET!;
    const laptop = shopDevice(lab, 'laptop');
    await laptop.add('apple');
    await laptop.viewCart();
    for (const secret of [`rotated-${Date.now().toString(36)},${old}`]) {
      for (const node of ['server_1', 'server_2']) {
        await lab.redeploy(node, { SESSION_SECRET: secret });
        await laptop.viewCart();
        await laptop.viewCart();
      }
      const newOnly = secret.split(',')[0]!;
      for (const node of ['server_1', 'server_2']) {
        await lab.redeploy(node, { SESSION_SECRET: newOnly });
        await laptop.viewCart();
        await laptop.viewCart();
      }
    }
  },
  check: cartVerdict,
};
