import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { affinityVerdict } from './shop/checkers/affinity.ts';
import { shopDevice } from './shop/device.ts';

const devices = 8;

// Behind a NAT or a corporate proxy many users share one address, and ip_hash sends them all to
// one node: their carts are kept, but the other node idles.
export const stickyNat: Scenario<ShopOp> = {
  name: 'sticky-nat',
  summary: `${devices} devices behind one address on file-2-sticky-ip (ip_hash): all land on one node while the other idles.`,
  topology: 'file-2-sticky-ip',
  expected: 'one-node-only',
  async run(lab) {
    const all = Array.from({ length: devices }, (_, i) => shopDevice(lab, `device-${i + 1}`, { localAddress: '127.0.9.1' }));
    for (const sku of ['apple', 'bread']) for (const device of all) await device.add(sku);
    for (let round = 0; round < 2; round++) for (const device of all) await device.viewCart();
  },
  check: affinityVerdict,
};
