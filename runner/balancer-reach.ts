// Whether the balancer sends requests to every node again. A restarted or recreated node is back
// in rotation only once nginx has re-resolved its address and its fail_timeout has passed, which on
// a busy machine (or under Docker, where a container's address can change) comes later than the
// node's own readiness.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningTopology } from './backend.ts';
import { Device, type Answer } from './http-client.ts';
import { appServices } from './topology.ts';

export interface Reach {
  /** The nodes that answered through the balancer. */
  reached: Set<string>;
  requests: number;
}

/** The address the balancer last sent the request to (X-Upstream lists every one it tried). */
export function upstreamOf(answer: Answer): string | undefined {
  return String(answer.headers['x-upstream'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1);
}

/**
 * The node that answered: as the balancer names it (its address, named by the backend), else as
 * the app says (X-Served-By); an app that says nothing of itself is told apart all the same.
 */
export function answeringNode(running: RunningTopology, answer: Answer): string | undefined {
  const upstream = upstreamOf(answer);
  return (upstream && running.nodeAt?.(upstream)) || answer.servedBy;
}

/**
 * Cookie-less GETs of path (the nodes' ready path by default) through the balancer, every 100 ms
 * for at most maxMs, until every node answered one.
 */
export async function untilBalancerReaches(running: RunningTopology, nodes: readonly string[], name: string, path?: string, maxMs = 15_000): Promise<Reach> {
  path ??= appServices(running.topology)[0]?.app?.ready ?? '/healthz';
  const reached = new Set<string>();
  const client = new Device(name, running.balancerUrl, { timeoutMs: 2000 });
  let requests = 0;
  try {
    for (const deadline = Date.now() + maxMs; nodes.some((node) => !reached.has(node)) && Date.now() < deadline; requests++) {
      if (requests > 0) await sleep(100);
      const answer = await client.get(path).catch(() => undefined);
      const node = answer && answer.status < 500 ? answeringNode(running, answer) : undefined;
      if (node) reached.add(node);
    }
  } finally {
    await client.close();
  }
  return { reached, requests };
}
