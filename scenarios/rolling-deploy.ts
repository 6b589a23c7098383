import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';
import type { ShopOp } from './shop/actions.ts';
import { rollingDeployVerdict } from './shop/checkers/rolling-deploy.ts';
import { shopDevice } from './shop/device.ts';

// Version 2 of the shop keeps the cart in the session as a map ({ lines: { sku: qty } }) where
// version 1 kept a list (SESSION_CART_SHAPE, on redis-2-cart-in-session). Deployed one node at a
// time, both versions serve the same sessions for a while: version 1 cannot read a map and answers
// 500, version 2 reads a list as an empty cart and its next write stores that. Spring Session's
// users hit the same: "When session object structure changes the whole thing completely broken",
// every request with such a session a 500 (https://github.com/spring-projects/spring-session/issues/90,
// and https://github.com/spring-projects/spring-session/issues/1939).

/** Each step redeploys every node in turn with these variables; after each, every device shops. */
type DeployStep = Record<string, string>;

async function rollOut(lab: Lab, steps: readonly DeployStep[]): Promise<void> {
  const nodes = appServices(lab.running.topology).map((s) => s.name);
  const devices = ['laptop', 'phone', 'tablet'].map((name) => shopDevice(lab, name));
  let sku = 0;
  // Three requests a device, one device after the other: under round robin, one device's add and
  // the next one's land on different nodes, so every device meets both versions.
  const shop = async () => {
    for (const device of devices) {
      await device.add(`item-${sku++}`);
      await device.viewCart();
      await device.viewCart();
    }
  };
  await shop();
  for (const step of steps) {
    for (const node of nodes) {
      await lab.redeploy(node, step);
      await lab.untilBalancerReaches(nodes);
      await shop();
    }
  }
}

export const rollingDeploySchema: Scenario<ShopOp> = {
  name: 'rolling-deploy-schema',
  summary: 'redis-2-cart-in-session: version 2 (the cart as a map) deployed node by node; while both versions serve the same sessions, version 1 answers 500 and version 2 empties carts.',
  topology: 'redis-2-cart-in-session',
  expected: 'deploy-broke-sessions',
  run: (lab) => rollOut(lab, [{ SESSION_CART_SHAPE: 'map' }]),
  check: rollingDeployVerdict,
};

// The remedy: a tolerant reader goes out first (it reads both shapes, still writes the list),
// node by node; only once every node reads both does a second roll switch the writes to the map.
export const rollingDeployTolerant: Scenario<ShopOp> = {
  name: 'rolling-deploy-tolerant',
  summary: 'redis-2-cart-in-session: first every node learns to read both shapes, then nodes start writing the map: no 5xx, no cart lost.',
  topology: 'redis-2-cart-in-session',
  expected: 'deploy-kept-sessions',
  run: (lab) =>
    rollOut(lab, [
      { SESSION_CART_READER: 'tolerant' },
      { SESSION_CART_READER: 'tolerant', SESSION_CART_SHAPE: 'map' },
    ]),
  check: rollingDeployVerdict,
};
