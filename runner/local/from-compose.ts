// From a compose service to a local process: the app with its environment, the real nginx,
// redis-server and PostgreSQL, each a ProcessService. Every start waits for the service's own
// answer (readiness polled, never slept); every process runs in its own group and dies with the runner.
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { findBinary } from '../binaries.ts';
import { freePort } from '../free-port.ts';
import { followFile } from '../logs.ts';
import { renderNginxTemplate } from '../nginx-template.ts';
import { pollUntil } from '../../lib/time.ts';
import { masterOf, spawnManaged, type ManagedProcess } from '../processes.ts';
import { AppNode, httpAnswers } from '../servers/app-node.ts';
import { PostgresServer } from '../servers/postgres.ts';
import { OneShotService } from '../servers/one-shot.ts';
import { ProcessService } from '../servers/process-service.ts';
import { pingRedis, RedisServer } from '../servers/redis.ts';
import { balancerScheme, type ServiceSpec, type Topology } from '../topology.ts';
import { escapeRegExp, localEnvironment, rewriteHostPortArgs, type EndpointMap } from './address-map.ts';

/** A compose service run as a local process (a one-shot job has nothing running after its start). */
export interface LocalService {
  readonly spec: ServiceSpec;
  readonly server: ProcessService | OneShotService;
  /** nginx only: renders its config again with these variables changed and reloads it gracefully. */
  reload?(environment: Record<string, string>): Promise<void>;
}

export interface ServiceContext {
  topology: Topology;
  endpoints: EndpointMap;
  runDir: string;
  output(name: string): (chunk: Buffer) => void;
  /** The network namespace a service runs in, when the run gives each service one. */
  netns?(name: string): string;
}

/**
 * Each service's own directory in the run, also its working directory: whatever the process
 * does to its title, /proc/<pid>/cwd still says which run it belongs to.
 */
export function serviceDir(runDir: string, name: string): string {
  return join(runDir, 'services', name);
}

/**
 * Where a container path lives locally: inside the named volume mounted over it (shared by every
 * service that mounts that volume, as in Docker), else in the service's own directory.
 */
export function localPath(spec: ServiceSpec, containerPath: string, runDir: string): string {
  for (const volume of spec.volumes) {
    if (volume.bind) continue;
    const rest = relative(volume.target, containerPath);
    if (!rest.startsWith('..')) return join(runDir, 'volumes', volume.source, rest);
  }
  return join(serviceDir(runDir, spec.name), containerPath);
}

/**
 * A value with container paths (/etc/nginx/tls/cert.pem) as the local process needs them: every
 * path inside a named volume the service mounts becomes that volume's local directory.
 */
export function localPaths(spec: ServiceSpec, value: string, runDir: string): string {
  let result = value;
  for (const volume of spec.volumes) {
    if (volume.bind) continue;
    const pattern = new RegExp(`(?<![\\w/.-])${escapeRegExp(volume.target)}(?=/|$|[\\s;,])`, 'g');
    result = result.replace(pattern, localPath(spec, volume.target, runDir));
  }
  return result;
}

/** nginx's variables as the local nginx needs them: loopback addresses, local paths. */
export function localNginxEnvironment(spec: ServiceSpec, ctx: Pick<ServiceContext, 'topology' | 'endpoints' | 'runDir'>): Record<string, string> {
  return Object.fromEntries(Object.entries(localEnvironment(spec, ctx.topology, ctx.endpoints)).map(([k, v]) => [k, localPaths(spec, v, ctx.runDir)]));
}

/**
 * A shell as the app's init: the process guard makes the service PID 1 of a PID namespace, and
 * PID 1 ignores a signal it has no handler for; many apps (a Python one among them) have none for
 * SIGTERM and would only end by SIGKILL. The shell's trap passes SIGTERM on to the app, which then
 * ends as it would under `docker run --init`.
 */
const initScript = 'trap \'kill -TERM "$child" 2>/dev/null\' TERM INT; "$@" & child=$!; wait "$child"; wait "$child"';

/** An app that is not the shop: its own command, in its own directory, ready when its ready path answers. */
function foreignAppService(spec: ServiceSpec, ctx: ServiceContext): ProcessService {
  const app = spec.app!;
  if (!app.command?.length) throw new Error(`${spec.name}: the local backend needs the command that starts the app`);
  const [command, ...args] = ['sh', '-c', initScript, 'lab-init', ...app.command];
  // Container paths in its variables (a file store's directory on a named volume) as local ones.
  const environment = Object.fromEntries(Object.entries(localEnvironment(spec, ctx.topology, ctx.endpoints)).map(([k, v]) => [k, localPaths(spec, v, ctx.runDir)]));
  const { host, port } = ctx.endpoints.get(spec.name)!;
  return new ProcessService({
    name: spec.name,
    port,
    launch: async (changed) =>
      spawnManaged(spec.name, command!, args, { cwd: app.cwd ?? serviceDir(ctx.runDir, spec.name), env: { PATH: process.env.PATH ?? '', ...environment, ...changed }, output: ctx.output(spec.name), netns: ctx.netns?.(spec.name) }),
    ready: () => httpAnswers(`http://${host}:${port}${app.ready}`, true),
  });
}

function appService(spec: ServiceSpec, ctx: ServiceContext): ProcessService {
  if (spec.app) return foreignAppService(spec, ctx);
  const environment = localEnvironment(spec, ctx.topology, ctx.endpoints);
  if (environment.SESSION_FILE_DIR) environment.SESSION_FILE_DIR = localPath(spec, environment.SESSION_FILE_DIR, ctx.runDir);
  const { host, port } = ctx.endpoints.get(spec.name)!;
  return new AppNode({ name: spec.name, host, port, netns: ctx.netns?.(spec.name), environment, cwd: serviceDir(ctx.runDir, spec.name), output: ctx.output(spec.name) });
}

/** The generated main config: the template is http-level (conf.d), like in the official image. */
function nginxMainConfig(prefix: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(prefix, 'nginx.pid')};`,
    'error_log stderr notice;',
    'events { worker_connections 1024; }',
    'http {',
    `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
    `  include ${join(prefix, 'conf.d')}/*.conf;`,
    '}',
    '',
  ].join('\n');
}

/** How long a reload may take: new workers started, the old ones done with what they held. */
const reloadTimeoutMs = 10_000;

function nginxService(spec: ServiceSpec, ctx: ServiceContext): LocalService {
  const { host, port } = ctx.endpoints.get(spec.name)!;
  const prefix = serviceDir(ctx.runDir, spec.name);
  const template = spec.volumes.find((v) => v.bind && v.target.startsWith('/etc/nginx/templates/') && v.target.endsWith('.template'));
  if (!template) throw new Error(`${spec.name}: no template mounted into /etc/nginx/templates/`);
  const confName = template.target.slice('/etc/nginx/templates/'.length, -'.template'.length);
  const sink = ctx.output(spec.name);
  // Variables changed by a reload (the upstream list after a scale-out): kept for later starts.
  let changed: Record<string, string> = {};
  const writeConf = () => {
    const changedSpec = { ...spec, environment: { ...spec.environment, ...changed } };
    return writeFile(join(prefix, 'conf.d', confName), renderNginxTemplate(localNginxEnvironment(changedSpec, ctx), template.source));
  };
  let managed: ManagedProcess | undefined;
  const server = new ProcessService({
    name: spec.name,
    port,
    launch: async () => {
      await mkdir(join(prefix, 'conf.d'), { recursive: true });
      await mkdir(join(prefix, 'temp'), { recursive: true });
      await writeConf();
      await writeFile(join(prefix, 'nginx.conf'), nginxMainConfig(prefix));
      // nginx reopens /dev/stdout by path, which fails on the socket Node would give it: its
      // stdout is a file in the run directory instead, followed into the live output.
      const stdoutFile = join(prefix, 'stdout.log');
      const stdout = await open(stdoutFile, 'a');
      const launched = spawnManaged(spec.name, findBinary('nginx'), ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], {
        cwd: prefix,
        stdio: ['ignore', stdout.fd, 'pipe'],
        output: sink,
        netns: ctx.netns?.(spec.name),
      });
      managed = launched;
      await stdout.close();
      const follower = followFile(stdoutFile, sink);
      void launched.exited.then(() => follower.stop());
      return launched;
    },
    ready: () => httpAnswers(`${balancerScheme(ctx.topology)}://${host}:${port}/healthz`, false),
  });
  // SIGHUP to the master only: it starts workers with the new config and tells the old ones to
  // finish. An old worker still serves the requests on the client connections it holds (a
  // keep-alive connection's next request among them) until it has closed them: done once every
  // old worker has exited, so that no request goes by the old list afterwards.
  const reload = async (environment: Record<string, string>) => {
    changed = { ...changed, ...environment };
    await writeConf();
    const before = managed && masterOf(managed, 'nginx');
    if (!before) return;
    process.kill(before.pid, 'SIGHUP');
    await pollUntil(
      `${spec.name} reload`,
      async () => {
        const now = managed && masterOf(managed, 'nginx');
        if (!now?.children.some((pid) => !before.children.includes(pid))) throw new Error('no worker of the new config yet');
        if (now.children.some((pid) => before.children.includes(pid))) throw new Error('a worker of the old config still runs');
      },
      { timeoutMs: reloadTimeoutMs, maxDelayMs: 20 },
    );
  };
  return { spec, server, reload };
}

function redisService(spec: ServiceSpec, ctx: ServiceContext): ProcessService {
  // The compose command after the program name: the persistence the topology asks for, and for a
  // replica `--replicaof <service> <port>`.
  const args = spec.command[0] === 'redis-server' ? spec.command.slice(1) : spec.command;
  const persistence = rewriteHostPortArgs(args, ctx.topology, ctx.endpoints);
  // A cluster node on loopback gets a bus port of its own, the same one on every start: the other
  // nodes remember where it was.
  const clusterNode = args.includes('--cluster-enabled') && args[args.indexOf('--cluster-enabled') + 1] === 'yes';
  let busPort: Promise<number> | undefined;
  return new RedisServer({
    ...(clusterNode && !ctx.netns ? { busPort: () => (busPort ??= freePort()) } : {}),
    name: spec.name,
    ...ctx.endpoints.get(spec.name)!,
    netns: ctx.netns?.(spec.name),
    dir: localPath(spec, '/data', ctx.runDir),
    persistence,
    output: ctx.output(spec.name),
    cwd: serviceDir(ctx.runDir, spec.name),
  });
}

/** The compose command with each bind-mounted file (the sentinel's start script) at its place in the project. */
function localCommand(spec: ServiceSpec): string[] {
  return spec.command.map((arg) => spec.volumes.find((v) => v.bind && v.target === arg)?.source ?? arg);
}

function sentinelService(spec: ServiceSpec, ctx: ServiceContext): ProcessService {
  const { host, port } = ctx.endpoints.get(spec.name)!;
  const cwd = serviceDir(ctx.runDir, spec.name);
  const [command, ...args] = localCommand(spec);
  return new ProcessService({
    name: spec.name,
    port,
    launch: async () => {
      await mkdir(cwd, { recursive: true });
      const environment = { ...localEnvironment(spec, ctx.topology, ctx.endpoints), SENTINEL_CONF_FILE: join(cwd, 'sentinel.conf') };
      return spawnManaged(spec.name, command!, args, { cwd, env: { PATH: process.env.PATH ?? '', ...environment }, output: ctx.output(spec.name), netns: ctx.netns?.(spec.name) });
    },
    ready: () => pingRedis(port, 1000, host),
  });
}

/** The official image's `postgres -c name=value …` command as settings. */
export function postgresSettings(spec: ServiceSpec): Record<string, string> {
  const args = spec.command[0] === 'postgres' ? spec.command.slice(1) : spec.command;
  const settings: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = args[i] === '-c' ? /^([a-z_]+)=(.*)$/.exec(args[i + 1] ?? '') : null;
    if (!match) throw new Error(`${spec.name}: the local backend takes a PostgreSQL command of -c name=value pairs only (got "${args.join(' ')}")`);
    settings[match[1]!] = match[2]!;
    i++;
  }
  return settings;
}

function postgresService(spec: ServiceSpec, ctx: ServiceContext): ProcessService {
  return new PostgresServer({
    settings: postgresSettings(spec),
    name: spec.name,
    ...ctx.endpoints.get(spec.name)!,
    netns: ctx.netns?.(spec.name),
    dataDir: localPath(spec, spec.environment.PGDATA ?? '/var/lib/postgresql/data', ctx.runDir),
    user: spec.environment.POSTGRES_USER || 'postgres',
    database: spec.environment.POSTGRES_DB || undefined,
    output: ctx.output(spec.name),
    cwd: serviceDir(ctx.runDir, spec.name),
  });
}

/** The job that makes a Redis Cluster: the compose command (redis/cluster-create.sh) with the nodes' local addresses. */
function clusterCreateService(spec: ServiceSpec, ctx: ServiceContext): OneShotService {
  const cwd = serviceDir(ctx.runDir, spec.name);
  const [command, ...args] = localCommand(spec);
  return new OneShotService({
    name: spec.name,
    command: command!,
    args,
    cwd,
    environment: localEnvironment(spec, ctx.topology, ctx.endpoints),
    output: ctx.output(spec.name),
    prepare: () => mkdir(cwd, { recursive: true }).then(() => {}),
  });
}

/** The alpine/openssl image's entrypoint is openssl: the compose command is its arguments. */
function opensslService(spec: ServiceSpec, ctx: ServiceContext): OneShotService {
  const cwd = serviceDir(ctx.runDir, spec.name);
  return new OneShotService({
    name: spec.name,
    command: findBinary('openssl'),
    args: spec.command.map((arg) => localPaths(spec, arg, ctx.runDir)),
    cwd,
    output: ctx.output(spec.name),
    prepare: async () => {
      await mkdir(cwd, { recursive: true });
      for (const volume of spec.volumes) if (!volume.bind) await mkdir(localPath(spec, volume.target, ctx.runDir), { recursive: true });
    },
  });
}

const serversByKind: Record<Exclude<ServiceSpec['kind'], 'nginx'>, (spec: ServiceSpec, ctx: ServiceContext) => ProcessService | OneShotService> = {
  app: appService,
  redis: redisService,
  sentinel: sentinelService,
  postgres: postgresService,
  openssl: opensslService,
  'cluster-create': clusterCreateService,
};

export function localService(spec: ServiceSpec, ctx: ServiceContext): LocalService {
  return spec.kind === 'nginx' ? nginxService(spec, ctx) : { spec, server: serversByKind[spec.kind](spec, ctx) };
}
