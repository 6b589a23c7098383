// Reads a compose file into what the local backend needs: which services, of which kind, with
// which environment, ports and volumes. The compose file stays the one description of a
// topology; nothing here is a second copy of it.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const composeDir = join(projectRoot, 'compose');

/**
 * openssl: a one-shot service that makes a file (a TLS certificate) before the others start.
 * sentinel: a Redis Sentinel (the redis image running redis/sentinel-start.sh, SENTINEL_* variables).
 * cluster-create: a one-shot service that makes a Redis Cluster of redis nodes started with
 * --cluster-enabled (the redis image running redis/cluster-create.sh, CLUSTER_* variables).
 */
export type ServiceKind = 'app' | 'nginx' | 'redis' | 'sentinel' | 'postgres' | 'openssl' | 'cluster-create';

/** Services that do one job and exit before the others start: nothing of them runs afterwards. */
export const oneShotKinds: ReadonlySet<ServiceKind> = new Set(['openssl', 'cluster-create']);

export interface VolumeMount {
  /** A named volume, or for a bind mount the absolute host path. */
  source: string;
  target: string;
  bind: boolean;
}

/**
 * An app node that is not the shop (`x-lab-app` on the service, written by `lab check`): where it
 * listens, when it is ready, which of its variables hold its port, and, for the local backend,
 * the command that starts one node.
 */
export interface ForeignApp {
  port: number;
  /** A path that answers 2xx once the node is up. */
  ready: string;
  /** Its variables that hold the port it listens on (set to each node's own locally). */
  portVariables: string[];
  /** The command and its directory, for the local backend. */
  command?: string[];
  cwd?: string;
}

export interface ServiceSpec {
  name: string;
  kind: ServiceKind;
  /** The image it runs (undefined for the app, which is built). */
  image: string | undefined;
  /** The healthcheck's command (compose's `test: ["CMD", …]` without "CMD"), if any. */
  healthcheck: string[] | undefined;
  environment: Record<string, string>;
  /** The port it listens on inside its container. */
  containerPort: number;
  command: string[];
  volumes: VolumeMount[];
  dependsOn: string[];
  /**
   * A node held back for scale-out (compose `profiles: ["scale-out"]`): `docker compose up` and
   * the local backend leave it down, and the balancer does not list it until the scale-out fault.
   */
  spare: boolean;
  /** Set for an app node that is not the shop. */
  app?: ForeignApp;
}

export interface Topology {
  name: string;
  file: string;
  services: ServiceSpec[];
}

export class TopologyError extends Error {
  override name = 'TopologyError';
}

/** Topology names: the compose files in compose/, without .yml. */
export function listTopologies(): string[] {
  return readdirSync(composeDir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -'.yml'.length))
    .sort();
}

export function topologyFile(name: string): string {
  if (!listTopologies().includes(name)) {
    throw new TopologyError(`unknown topology "${name}"; known: ${listTopologies().join(', ')}`);
  }
  return join(composeDir, `${name}.yml`);
}

function hasVariable(service: Record<string, unknown>, name: string): boolean {
  const environment = service.environment;
  return typeof environment === 'object' && environment !== null && !Array.isArray(environment) && name in environment;
}

/** The redis image runs a Redis, a Sentinel (SENTINEL_PRIMARY) or the job that makes a cluster (CLUSTER_NODES). */
function redisKindOf(service: Record<string, unknown>): ServiceKind {
  if (hasVariable(service, 'SENTINEL_PRIMARY')) return 'sentinel';
  if (hasVariable(service, 'CLUSTER_NODES')) return 'cluster-create';
  return 'redis';
}

/** The image every app node runs; one node's `build` makes it. */
export const appImage = 'session-lab/app:local';

function kindOf(name: string, service: Record<string, unknown>): ServiceKind {
  const image = String(service.image ?? '');
  if (service.build !== undefined || image === appImage || service['x-lab-app'] !== undefined) return 'app';
  for (const kind of ['nginx', 'redis', 'postgres'] as const) {
    if (image === kind || image.startsWith(`${kind}:`)) return kind === 'redis' ? redisKindOf(service) : kind;
  }
  if (image.startsWith('alpine/openssl:')) return 'openssl';
  throw new TopologyError(`service ${name}: the local backend runs the app (build) and the nginx, redis, postgres and alpine/openssl images, not "${image}"`);
}

/**
 * A value as compose hands it to the container: "$$" is compose's escape for a literal "$" (the
 * sticky topologies' "hash $$cookie_lab_sid"). Interpolating host variables (${VAR}) is not supported.
 */
function interpolated(name: string, value: string): string {
  if (/\$\{?[A-Za-z_]/.test(value.replaceAll('$$', ''))) throw new TopologyError(`${name}: compose would substitute a host variable in "${value}"; write $$ for a literal $`);
  return value.replaceAll('$$', '$');
}

function environmentOf(service: Record<string, unknown>): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((item: string) => {
        const eq = item.indexOf('=');
        return eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
      })
    : Object.entries(raw);
  return Object.fromEntries(entries.map(([k, v]) => [k, v === null || v === undefined ? '' : interpolated(k, String(v))]));
}

function commandOf(service: Record<string, unknown>): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : String(command).split(/\s+/).filter(Boolean);
}

function volumesOf(service: Record<string, unknown>, baseDir: string): VolumeMount[] {
  const raw = (service.volumes ?? []) as unknown[];
  return raw.map((entry) => {
    let source: string;
    let target: string;
    if (typeof entry === 'string') {
      [source = '', target = ''] = entry.split(':');
    } else {
      const long = entry as { source?: string; target?: string };
      source = long.source ?? '';
      target = long.target ?? '';
    }
    const bind = source.startsWith('.') || isAbsolute(source);
    return { source: bind ? resolve(baseDir, source) : source, target, bind };
  });
}

function portOption(command: string[]): number | undefined {
  const at = command.indexOf('--port');
  return at >= 0 ? Number(command[at + 1]) : undefined;
}

function foreignAppOf(name: string, service: Record<string, unknown>): ForeignApp | undefined {
  const raw = service['x-lab-app'] as Partial<ForeignApp> | undefined;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || !Number.isInteger(raw.port) || typeof raw.ready !== 'string' || !Array.isArray(raw.portVariables)) {
    throw new TopologyError(`service ${name}: x-lab-app needs port (an integer), ready (a path) and portVariables (a list)`);
  }
  // Compose reads the extension's strings too: a "$" in them is written "$$".
  const command = raw.command?.map((part) => interpolated(`service ${name}: x-lab-app.command`, String(part)));
  return { port: raw.port!, ready: raw.ready, portVariables: raw.portVariables.map(String), ...(command ? { command } : {}), ...(raw.cwd ? { cwd: interpolated(`service ${name}: x-lab-app.cwd`, String(raw.cwd)) } : {}) };
}

function containerPortOf(kind: ServiceKind, environment: Record<string, string>, command: string[], app?: ForeignApp): number {
  switch (kind) {
    case 'app':
      return app?.port ?? Number(environment.PORT ?? 3000);
    case 'nginx':
      return Number(environment.NGINX_PORT ?? 80);
    case 'redis':
      return portOption(command) ?? 6379;
    case 'sentinel':
      return Number(environment.SENTINEL_PORT ?? 26379);
    case 'postgres':
      return Number(environment.PGPORT ?? 5432);
    case 'openssl':
    case 'cluster-create':
      return 0;
  }
}

/** The one profile the lab knows: a spare node for scale-out. */
export const scaleOutProfile = 'scale-out';

function spareOf(name: string, kind: ServiceKind, service: Record<string, unknown>): boolean {
  const profiles = service.profiles;
  if (profiles === undefined) return false;
  if (!Array.isArray(profiles) || profiles.length !== 1 || profiles[0] !== scaleOutProfile || kind !== 'app') {
    throw new TopologyError(`service ${name}: the only profile a topology may give is ["${scaleOutProfile}"], to an app node held back for scale-out`);
  }
  return true;
}

function dependsOnOf(service: Record<string, unknown>): string[] {
  const raw = service.depends_on ?? [];
  return Array.isArray(raw) ? raw.map(String) : Object.keys(raw);
}

export function parseTopology(name: string, file: string, text: string): Topology {
  // Compose files use YAML merge keys (<<: *app) to keep the server_N blocks short.
  const doc = parse(text, { merge: true }) as { services?: Record<string, Record<string, unknown>> } | null;
  const services = doc?.services;
  if (!services || Object.keys(services).length === 0) throw new TopologyError(`${file}: no services`);
  const specs = Object.entries(services).map(([serviceName, service]): ServiceSpec => {
    const kind = kindOf(serviceName, service);
    const environment = environmentOf(service);
    const command = commandOf(service);
    const app = foreignAppOf(serviceName, service);
    const test = (service.healthcheck as { test?: unknown } | undefined)?.test;
    return {
      name: serviceName,
      kind,
      image: typeof service.image === 'string' ? service.image : undefined,
      healthcheck: Array.isArray(test) && test[0] === 'CMD' ? test.slice(1).map(String) : undefined,
      environment,
      containerPort: containerPortOf(kind, environment, command, app),
      command,
      volumes: volumesOf(service, dirname(file)),
      dependsOn: dependsOnOf(service),
      spare: spareOf(serviceName, kind, service),
      ...(app ? { app } : {}),
    };
  });
  for (const spec of specs) {
    for (const dependency of spec.dependsOn) {
      if (!specs.some((s) => s.name === dependency)) throw new TopologyError(`${file}: ${spec.name} depends on unknown service ${dependency}`);
    }
  }
  if (specs.filter((s) => s.kind === 'nginx').length !== 1) throw new TopologyError(`${file}: a topology has exactly one nginx service`);
  return { name, file, services: specs };
}

/** A topology by its name in compose/, or a compose file by its path (one `lab check` wrote). */
export function loadTopology(name: string): Topology {
  if (name.endsWith('.yml') && name.includes('/')) {
    const file = resolve(name);
    return parseTopology(basename(file, '.yml'), file, readFileSync(file, 'utf8'));
  }
  const file = topologyFile(name);
  return parseTopology(name, file, readFileSync(file, 'utf8'));
}

/** The balancer's scheme: https when its template terminates TLS (NGINX_TLS starts with "ssl"). */
export function balancerScheme(topology: Topology): 'http' | 'https' {
  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  return /^\s*ssl\b/.test(nginx.environment.NGINX_TLS ?? '') ? 'https' : 'http';
}

/** The app services (server_1, server_2, …) in order, without the spare ones. */
export function appServices(topology: Topology): ServiceSpec[] {
  return topology.services.filter((s) => s.kind === 'app' && !s.spare);
}

/** The app nodes held back for scale-out, in order. */
export function spareNodes(topology: Topology): ServiceSpec[] {
  return topology.services.filter((s) => s.kind === 'app' && s.spare);
}
