import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { failoverVerdict } from './shop/checkers/affinity.ts';
import { shopDevice } from './shop/device.ts';

// What affinity does not buy: a node's sessions die with the node. Device A's node is killed;
// nginx sends A to the other node, which has no file for A's session (lost), then, once the node
// is back and nginx tries it again, back to it, which has no file for the session A got in the
// meantime (lost again). The devices of the other node notice nothing.
export const stickyFailover: Scenario<ShopOp> = {
  name: 'sticky-failover',
  summary: 'file-2-sticky-ip: kill -9 the node holding device A; A loses its cart when it moves, and again when it moves back; the other node’s devices lose nothing.',
  topology: 'file-2-sticky-ip',
  // Devices told apart by their source address: a backend that cannot give them one skips it.
  needs: ['client-addresses'],
  expected: 'lost-on-move-and-back',
  async run(lab) {
    const devices = Array.from({ length: 4 }, (_, i) => shopDevice(lab, `device-${String.fromCharCode(65 + i)}`, { localAddress: `127.0.${i + 1}.1` }));
    for (const device of devices) await device.add('apple');
    const homes = new Map<string, string | undefined>();
    for (const device of devices) homes.set(device.name, (await device.viewCart()).servedBy);
    const killed = homes.get(devices[0]!.name)!;
    // Only reads from here on: nginx retries a GET on the other node, never a POST.
    await lab.fault('kill', killed);
    for (let round = 0; round < 2; round++) for (const device of devices) await device.viewCart();
    await lab.fault('start', killed);
    // nginx leaves a failed node out for fail_timeout (2 s in this topology) before trying it
    // again, counted from its last failure; on a busy machine that can come late. So the devices
    // read on (for at most 10 s) until each one of the killed node has been sent back to it.
    await lab.wait(2500, 'nginx to try the restarted node again (fail_timeout=2s)');
    const back = new Set<string>();
    const returning = devices.filter((device) => homes.get(device.name) === killed);
    for (let round = 0; round < 2 || (back.size < returning.length && round < 20); round++) {
      if (round >= 2) await lab.wait(500, `a device of ${killed} still on the other node`);
      for (const device of devices) if ((await device.viewCart()).servedBy === killed) back.add(device.name);
    }
  },
  check: failoverVerdict,
};
