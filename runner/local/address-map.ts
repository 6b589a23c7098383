// One mapping from the names a compose file uses (redis:6379, server_1:3000) to where this run's
// services listen: loopback ports by default, or each service's address in a network namespace
// of its own. Every address in every service's environment goes through it.
import type { ServiceSpec, Topology } from '../topology.ts';

/** Where one service of a run listens. */
export interface Endpoint {
  host: string;
  port: number;
}

export type EndpointMap = ReadonlyMap<string, Endpoint>;

/** Every service on 127.0.0.1, each on its own port. */
export function loopbackEndpoints(ports: ReadonlyMap<string, number>): EndpointMap {
  return new Map([...ports].map(([name, port]) => [name, { host: '127.0.0.1', port }]));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces `service:containerPort` with the service's `host:port` wherever it stands as a host:port. */
export function rewriteAddresses(value: string, topology: Topology, endpoints: EndpointMap): string {
  let result = value;
  for (const service of topology.services) {
    const endpoint = endpoints.get(service.name);
    if (endpoint === undefined) continue;
    const pattern = new RegExp(`(?<![\\w.-])${escapeRegExp(service.name)}:${service.containerPort}(?!\\d)`, 'g');
    result = result.replace(pattern, `${endpoint.host}:${endpoint.port}`);
  }
  return result;
}

/**
 * A `host port` pair of a command (redis-server's `--replicaof redis 6379`) as the local process
 * needs it: a service's name and container port become its host and port in this run.
 */
export function rewriteHostPortArgs(args: readonly string[], topology: Topology, endpoints: EndpointMap): string[] {
  const result = [...args];
  for (let i = 0; i + 1 < result.length; i++) {
    const service = topology.services.find((s) => s.name === result[i] && String(s.containerPort) === result[i + 1]);
    const endpoint = service && endpoints.get(service.name);
    if (endpoint !== undefined) result.splice(i, 2, endpoint.host, String(endpoint.port));
  }
  return result;
}

/** A service's environment as its local process sees it: addresses rewritten, its own port local. */
export function localEnvironment(service: ServiceSpec, topology: Topology, endpoints: EndpointMap): Record<string, string> {
  const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, rewriteAddresses(v, topology, endpoints)]));
  const own = String(endpoints.get(service.name)?.port);
  if (service.kind === 'app') for (const name of service.app?.portVariables ?? ['PORT']) env[name] = own;
  if (service.kind === 'sentinel') env.SENTINEL_PORT = own;
  if (service.kind === 'nginx') {
    env.NGINX_PORT = own;
    // Locally every upstream is an address with nothing to resolve again; and Debian 12's
    // nginx (1.22) predates the `resolve` parameter.
    if (env.NGINX_UPSTREAM_SERVERS) env.NGINX_UPSTREAM_SERVERS = env.NGINX_UPSTREAM_SERVERS.replace(/\s+resolve(?=[\s;])/g, '');
  }
  return env;
}
