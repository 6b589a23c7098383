import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';
import type { ShopOp } from './shop/actions.ts';
import { cartVerdict } from './shop/checkers/cart.ts';
import { shopDevice } from './shop/device.ts';

// A rolling rotation of SESSION_SECRET on redis-2 (the first secret signs, all verify), in three
// steps, each node in turn: "old,new" (every node learns to verify the new secret before any signs
// with it), then "new,old" (the new secret signs; a node sends an existing session's cookie again,
// newly signed, whenever it came with the old signature), then "new" alone. In two steps ("new,old",
// then "new"), a node that already signs with the new secret hands the client a cookie the
// not-yet-redeployed node cannot verify: the session is lost there, as soon as round robin visits
// the redeployed node first.
export const secretRotation: Scenario<ShopOp> = {
  name: 'secret-rotation',
  summary: 'redis-2: SESSION_SECRET rotated node by node ("old,new", then "new,old", then "new"): no session is lost at any step.',
  topology: 'redis-2',
  expected: 'cart-kept',
  async run(lab) {
    const old = appServices(lab.running.topology)[0]!.environment.SESSION_SECRET!;
    const fresh = `rotated-${Date.now().toString(36)}`;
    const laptop = shopDevice(lab, 'laptop');
    await laptop.add('apple');
    await laptop.viewCart();
    for (const secret of [`${old},${fresh}`, `${fresh},${old}`, fresh]) {
      for (const node of ['server_1', 'server_2']) {
        await lab.redeploy(node, { SESSION_SECRET: secret });
        await lab.untilBalancerReaches(['server_1', 'server_2']);
        // Round robin: one read on each node, in whichever order nginx takes them.
        await laptop.viewCart();
        await laptop.viewCart();
      }
    }
  },
  check: cartVerdict,
};
