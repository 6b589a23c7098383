import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { affinityVerdict } from './shop/checkers/affinity.ts';
import { shopDevice } from './shop/device.ts';

const devices = 8;

// ip_hash keeps a client address on one node, so per-node session files work while nodes live.
// nginx hashes the first three octets of an IPv4 address: each device has a /24 of its own.
export const stickyIp: Scenario<ShopOp> = {
  name: 'sticky-ip',
  summary: `${devices} devices, each from an address of its own, on file-2-sticky-ip (ip_hash): each stays on one node and keeps its cart; the devices spread over both nodes.`,
  topology: 'file-2-sticky-ip',
  // Devices told apart by their source address: a backend that cannot give them one skips it.
  needs: ['client-addresses'],
  expected: 'sticky-kept',
  async run(lab) {
    const all = Array.from({ length: devices }, (_, i) => shopDevice(lab, `device-${i + 1}`, { localAddress: `127.0.${i + 1}.1` }));
    for (const sku of ['apple', 'bread']) for (const device of all) await device.add(sku);
    for (let round = 0; round < 2; round++) for (const device of all) await device.viewCart();
  },
  check: affinityVerdict,
};
