import { memoryGrowth as measureMemoryGrowth } from '../runner/checkers/memory-growth.ts';
import type { Scenario } from '../runner/scenario.ts';
import { appServices } from '../runner/topology.ts';

const visitors = 20_000;
const expiredToRead = 50;

// The article's second problem: every visitor's session sits in the heap, and MemoryStore only
// drops an expired session when someone asks for it.
export const memoryGrowth: Scenario = {
  name: 'memory-growth',
  summary: `One node, sessions in memory: ${visitors} visitors' sessions measured in heap bytes; expired sessions stay until read.`,
  topology: 'memory-1-short-ttl',
  expected: 'expired-kept-until-read',
  async run(lab) {
    const node = appServices(lab.running.topology)[0]!;
    const ttlSeconds = Number(node.environment.SESSION_TTL_SECONDS);
    await lab.probe(node.name, '/debug/memory', 'before');
    const { cookies } = await lab.visitors(visitors, 16, expiredToRead);
    await lab.probe(node.name, '/debug/memory', 'after-visits');
    await lab.wait(ttlSeconds * 1000 + 500, `the ${ttlSeconds} s session TTL to pass`);
    await lab.probe(node.name, '/debug/memory', 'after-expiry');
    // A health probe with an expired cookie makes the store look the session up (and drop it) without creating one.
    const returning = lab.device('returning');
    for (const cookie of cookies) {
      returning.sessionCookie = cookie;
      await returning.get('/healthz');
    }
    await lab.probe(node.name, '/debug/memory', 'after-reads');
  },
  check: measureMemoryGrowth,
};
