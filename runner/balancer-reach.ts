// Whether the balancer sends requests to every node again. A restarted or recreated node is back
// in rotation only once nginx has re-resolved its address and its fail_timeout has passed, which on
// a busy machine (or under Docker, where a container's address can change) comes later than the
// node's own readiness.
import { setTimeout as sleep } from 'node:timers/promises';
import { Device } from './http-client.ts';

export interface Reach {
  /** The nodes that answered through the balancer. */
  reached: Set<string>;
  requests: number;
}

/** Cookie-less GETs of path through the balancer, every 100 ms for at most maxMs, until every node answered one. */
export async function untilBalancerReaches(balancerUrl: string, nodes: readonly string[], name: string, path = '/healthz', maxMs = 15_000): Promise<Reach> {
  const reached = new Set<string>();
  const client = new Device(name, balancerUrl, { timeoutMs: 2000 });
  let requests = 0;
  try {
    for (const deadline = Date.now() + maxMs; nodes.some((node) => !reached.has(node)) && Date.now() < deadline; requests++) {
      if (requests > 0) await sleep(100);
      const answer = await client.get(path).catch(() => undefined);
      if (answer?.servedBy && answer.status < 500) reached.add(answer.servedBy);
    }
  } finally {
    await client.close();
  }
  return { reached, requests };
}
