// The local backend: a compose topology as local processes, with a run directory for its logs and
// data (.lab/runs/<time>-<topology>/). Its services listen on loopback ports, or, for a run that
// needs network faults, each in a network namespace of its own (namespaces.ts).
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UnknownServiceError, type BalancerControl, type MissingCapabilities, type RunningTopology } from '../backend.ts';
import { listedNodes, upstreamServersFor } from '../balancer.ts';
import { faketimeLibrary } from '../clock-skew.ts';
import { freePort } from '../free-port.ts';
import { getOnce } from '../http-client.ts';
import { LogMux } from '../logs.ts';
import { newRunDir } from '../run-dir.ts';
import { balancerScheme, type Topology } from '../topology.ts';
import { localEnvironment, loopbackEndpoints, type EndpointMap } from './address-map.ts';
import { localService, type LocalService } from './from-compose.ts';
import { createRunNamespaces, localNetworkLacks, type RunNamespaces } from './namespaces.ts';

export interface LocalOptions {
  /** Where service output goes live, prefixed; undefined keeps it in the run's log files only. */
  terminal?: NodeJS.WriteStream;
  /** Keep volumes and data directories after down() (logs are always kept). */
  keepData?: boolean;
  /**
   * Each service in a network namespace of its own, reached at its address on the run's bridge
   * and its compose port, so that partitions can cut services apart (needs root and nftables).
   */
  isolatedNetwork?: boolean;
}

/** What this backend cannot give on this machine, and why. */
export function localLacks(): MissingCapabilities {
  const lacks = localNetworkLacks();
  if (!faketimeLibrary()) lacks['clock-skew'] = 'libfaketime is missing (npm run setup installs it)';
  return lacks;
}

/** Services grouped so that each group depends only on earlier ones (compose's start order). */
export function startOrder(topology: Topology): string[][] {
  const levels: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < topology.services.length) {
    const level = topology.services.filter((s) => !placed.has(s.name) && s.dependsOn.every((d) => placed.has(d))).map((s) => s.name);
    if (level.length === 0) throw new Error(`${topology.file}: depends_on has a cycle`);
    level.forEach((name) => placed.add(name));
    levels.push(level);
  }
  return levels;
}

/** A topology run as local processes: also says with which environment each service runs. */
export interface LocalTopology extends RunningTopology {
  /** The service's environment as its local process has it (addresses rewritten to this run's). */
  environment(service: string): Record<string, string>;
}

export async function startLocalTopology(topology: Topology, options: LocalOptions = {}): Promise<LocalTopology> {
  const runDir = await newRunDir(topology.name);
  const logDir = join(runDir, 'logs');
  // PostgreSQL runs as its own user when the runner is root: it must be able to walk into the run dir.
  await mkdir(join(runDir, 'volumes'), { recursive: true, mode: 0o755 });
  const mux = new LogMux(logDir, options.terminal);
  mux.align(topology.services.map((s) => s.name));

  let namespaces: RunNamespaces | undefined;
  let endpoints: EndpointMap;
  if (options.isolatedNetwork) {
    namespaces = await createRunNamespaces(topology.services.map((s) => s.name));
    endpoints = new Map(topology.services.map((s) => [s.name, { host: namespaces!.addresses.get(s.name)!, port: s.containerPort }]));
  } else {
    const ports = new Map<string, number>();
    for (const service of topology.services) ports.set(service.name, await freePort());
    endpoints = loopbackEndpoints(ports);
  }
  const services = new Map<string, LocalService>();
  for (const spec of topology.services) {
    services.set(spec.name, localService(spec, { topology, endpoints, runDir, output: (name) => mux.sink(name), netns: namespaces?.path }));
  }
  const levels = startOrder(topology);

  let downing: Promise<void> | undefined;
  const down = () => {
    downing ??= (async () => {
      for (const level of [...levels].reverse()) {
        await Promise.all(level.map((name) => services.get(name)!.server.stop()));
      }
      await namespaces?.remove();
      await mux.close();
      if (!options.keepData) {
        await rm(join(runDir, 'volumes'), { recursive: true, force: true });
        await rm(join(runDir, 'services'), { recursive: true, force: true });
      }
    })();
    return downing;
  };

  try {
    // A spare node waits for the scale-out fault.
    for (const level of levels) await Promise.all(level.filter((name) => !services.get(name)!.spec.spare).map((name) => services.get(name)!.server.start()));
  } catch (err) {
    await down();
    throw err;
  }

  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  let listed = listedNodes(topology);
  const balancer: BalancerControl = {
    nodes: () => listed,
    setNodes: async (nodes) => {
      await services.get(nginx.name)!.reload!({ NGINX_UPSTREAM_SERVERS: upstreamServersFor(topology, nodes) });
      listed = [...nodes];
    },
  };
  const local = (name: string) => {
    const found = services.get(name);
    if (!found) throw new UnknownServiceError(`no service "${name}" in ${topology.name}; it has ${[...services.keys()].join(', ')}`);
    return found;
  };
  const url = (name: string, scheme = 'http') => `${scheme}://${endpoints.get(name)!.host}:${endpoints.get(name)!.port}`;
  const service = (name: string) => local(name).server;
  return {
    topology,
    balancerUrl: url(nginx.name, balancerScheme(topology)),
    runDir,
    balancer,
    ...(namespaces ? { network: namespaces.network } : {}),
    logs: mux.lines,
    probe: (name, path) => getOnce(url(local(name).spec.name), path, 30_000),
    service,
    nodeAt: (address) => [...endpoints].find(([, e]) => `${e.host}:${e.port}` === address)?.[0],
    environment: (name) => localEnvironment(local(name).spec, topology, endpoints),
    down,
  };
}
