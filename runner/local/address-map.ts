// One mapping from the names a compose file uses (redis:6379, server_1:3000) to this run's
// loopback ports. Every address in every service's environment goes through it.
import type { ServiceSpec, Topology } from '../topology.ts';

export type PortMap = ReadonlyMap<string, number>;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces `service:containerPort` with `127.0.0.1:localPort` wherever it stands as a host:port. */
export function rewriteAddresses(value: string, topology: Topology, ports: PortMap): string {
  let result = value;
  for (const service of topology.services) {
    const local = ports.get(service.name);
    if (local === undefined) continue;
    const pattern = new RegExp(`(?<![\\w.-])${escapeRegExp(service.name)}:${service.containerPort}(?!\\d)`, 'g');
    result = result.replace(pattern, `127.0.0.1:${local}`);
  }
  return result;
}

/**
 * A `host port` pair of a command (redis-server's `--replicaof redis 6379`) as the local process
 * needs it: a service's name and container port become 127.0.0.1 and its local port.
 */
export function rewriteHostPortArgs(args: readonly string[], topology: Topology, ports: PortMap): string[] {
  const result = [...args];
  for (let i = 0; i + 1 < result.length; i++) {
    const service = topology.services.find((s) => s.name === result[i] && String(s.containerPort) === result[i + 1]);
    const local = service && ports.get(service.name);
    if (local !== undefined) result.splice(i, 2, '127.0.0.1', String(local));
  }
  return result;
}

/** A service's environment as its local process sees it: addresses rewritten, its own port local. */
export function localEnvironment(service: ServiceSpec, topology: Topology, ports: PortMap): Record<string, string> {
  const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, rewriteAddresses(v, topology, ports)]));
  const own = String(ports.get(service.name));
  if (service.kind === 'app') env.PORT = own;
  if (service.kind === 'sentinel') env.SENTINEL_PORT = own;
  if (service.kind === 'nginx') {
    env.NGINX_PORT = own;
    // Locally every upstream is a loopback address with nothing to resolve again; and Debian 12's
    // nginx (1.22) predates the `resolve` parameter.
    if (env.NGINX_UPSTREAM_SERVERS) env.NGINX_UPSTREAM_SERVERS = env.NGINX_UPSTREAM_SERVERS.replace(/\s+resolve(?=[\s;])/g, '');
  }
  return env;
}
