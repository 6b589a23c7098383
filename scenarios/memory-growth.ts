import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';
import type { ShopOp } from './shop/actions.ts';
import { describeMemory, memoryGrowthVerdict, memoryProbes } from './shop/checkers/memory-growth.ts';
import { shopDevice } from './shop/device.ts';
import { firstVisits } from './shop/first-visits.ts';

const visitors = 20_000;
const expiredToRead = 50;

// The article's second problem: every visitor's session sits in the heap, and MemoryStore only
// drops an expired session when someone asks for it.
export const memoryGrowth: Scenario<ShopOp> = {
  name: 'memory-growth',
  summary: `One node, sessions in memory: ${visitors} visitors' sessions measured in heap bytes; expired sessions stay until read.`,
  topology: 'memory-1-short-ttl',
  // Its figure is the heap a node holds per session: other sessions in it would blur it.
  fresh: 'it measures the heap per session, on a node holding none but its own',
  expected: 'expired-kept-until-read',
  async run(lab) {
    const node = appServices(lab.running.topology)[0]!;
    const ttlSeconds = Number(node.environment.SESSION_TTL_SECONDS);
    const measure = (label: string) => lab.probe(node.name, '/debug/memory', label, describeMemory);
    await measure(memoryProbes.before);
    const { cookies } = await firstVisits(lab, visitors, 16, expiredToRead);
    await measure(memoryProbes.afterVisits);
    await lab.wait(ttlSeconds * 1000 + 500, `the ${ttlSeconds} s session TTL to pass`);
    await measure(memoryProbes.afterExpiry);
    // A health probe with an expired cookie makes the store look the session up (and drop it) without creating one.
    const returning = shopDevice(lab, 'returning');
    for (const cookie of cookies) {
      returning.useSessionCookie(cookie);
      await returning.getPath('/healthz');
    }
    await measure(memoryProbes.afterReads);
  },
  check: memoryGrowthVerdict,
};
