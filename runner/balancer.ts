// The balancer's list of nodes, as the topology's nginx takes it in NGINX_UPSTREAM_SERVERS
// ("server server_1:3000 resolve max_fails=1 fail_timeout=2s; server server_2:3000 …;"). Scaling
// changes the list and reloads nginx: a reload starts workers with the new list while the old
// ones finish the requests they hold, so no request is dropped.
import type { ServiceSpec, Topology } from './topology.ts';

export class BalancerError extends Error {
  override name = 'BalancerError';
}

interface UpstreamEntry {
  host: string;
  port: string;
  /** Everything after host:port, e.g. " resolve max_fails=1 fail_timeout=2s". */
  parameters: string;
}

function entriesOf(servers: string): UpstreamEntry[] {
  return [...servers.matchAll(/server\s+([^\s:;]+):(\d+)([^;]*);/g)].map(([, host, port, parameters]) => ({ host: host!, port: port!, parameters: parameters! }));
}

export function balancerOf(topology: Topology): ServiceSpec {
  return topology.services.find((s) => s.kind === 'nginx')!;
}

/** The nodes the topology's balancer lists at start, in its order. */
export function listedNodes(topology: Topology): string[] {
  return entriesOf(balancerOf(topology).environment.NGINX_UPSTREAM_SERVERS ?? '').map((e) => e.host);
}

/**
 * NGINX_UPSTREAM_SERVERS listing exactly these nodes: a node the topology lists keeps its entry,
 * another one (a spare) gets the first entry's parameters, so it is balanced like the others.
 */
export function upstreamServersFor(topology: Topology, nodes: readonly string[]): string {
  const entries = entriesOf(balancerOf(topology).environment.NGINX_UPSTREAM_SERVERS ?? '');
  const template = entries[0];
  if (!template) throw new BalancerError(`${topology.name}: NGINX_UPSTREAM_SERVERS lists no server`);
  if (nodes.length === 0) throw new BalancerError('the balancer needs at least one node');
  return nodes
    .map((node) => {
      const spec = topology.services.find((s) => s.name === node && s.kind === 'app');
      if (!spec) throw new BalancerError(`"${node}" is not an app node of ${topology.name}`);
      const entry = entries.find((e) => e.host === node) ?? { ...template, host: node, port: String(spec.containerPort) };
      return `server ${entry.host}:${entry.port}${entry.parameters};`;
    })
    .join(' ');
}
