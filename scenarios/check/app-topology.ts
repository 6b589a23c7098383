// The topology `lab check` builds around an app: N nodes of it behind the lab's nginx (round
// robin), and the store it is checked on. Written as an ordinary compose file under .lab/check/,
// which the engine then runs like any topology (and a user can run by hand with `docker compose
// -f <file> up`). The nginx, Redis and PostgreSQL services are taken as they are from the lab's
// own topologies (redis-2, postgres-2), so that there is one description of each.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { composeDir, projectRoot } from '../../runner/topology.ts';
import type { AppFile, CheckStore } from './app-file.ts';

/** The secret every node of a check shares (the app's variable for it, where it names one). */
export const checkSecret = 'session-lab-check-secret';

/** Where the written compose files go. */
const checkTopologiesDir = join(projectRoot, '.lab', 'check');

type Service = Record<string, unknown>;

function topologyDoc(topology: string): { services: Record<string, Service>; secrets: Record<string, Service> } {
  return parse(readFileSync(join(composeDir, `${topology}.yml`), 'utf8'), { merge: true }) as { services: Record<string, Service>; secrets: Record<string, Service> };
}

function serviceOf(topology: string, name: string): Service {
  return structuredClone(topologyDoc(topology).services[name]!);
}

/** How a node's container gets the app: built once from the app's context (by server_1), or the app's image. */
function imageOf(app: AppFile, node: string): Service {
  if (!app.node.build) return { image: app.node.image };
  const image = `session-lab-check/${app.name}:local`;
  // The lab's build secret (a TLS-inspecting proxy's CA, for a package manager in the build), as
  // the lab's own topologies pass it: a Dockerfile that does not mount it never sees it.
  if (node === 'server_1') return { image, build: { context: app.node.build, ...(app.node.dockerfile ? { dockerfile: app.node.dockerfile } : {}), secrets: ['extra_ca'] } };
  return { image, pull_policy: 'never' };
}

/** Each placeholder's value in a topology (compose addresses: the local backend maps them to its own). */
function substitutions(node: string, port: number, secretPerNode: boolean): Record<string, string> {
  return {
    node,
    port: String(port),
    secret: secretPerNode ? `${checkSecret}-${node}` : checkSecret,
    redis_url: 'redis://redis:6379',
    database_url: 'postgres://lab:lab@postgres:5432/lab',
    file_dir: '/var/lib/lab-sessions',
  };
}

/** A string as compose must read it to hand it on as it is: "$" written "$$" (compose would substitute a host variable). */
const composeLiteral = (text: string) => text.replaceAll('$', '$$$$');

function substituted(variables: Record<string, string>, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, composeLiteral(v.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`))]));
}

/** own-secrets: each node a secret of its own (a deploy that forgot to share it); tls: nginx answers https. */
export type TopologyVariant = 'plain' | 'own-secrets' | 'tls';

export interface WrittenTopology {
  /** The compose file's path: what the engine's loadTopology takes. */
  file: string;
  nodes: string[];
}

/** Writes the compose file for the app on this store with this many nodes, in one of its variants. */
export function writeAppTopology(app: AppFile, store: CheckStore, nodes: number, variant: TopologyVariant = 'plain'): WrittenTopology {
  const secretPerNode = variant === 'own-secrets';
  const name = `${app.name}-${store}-${nodes}${variant === 'plain' ? '' : `-${variant}`}`;
  const names = Array.from({ length: nodes }, (_, i) => `server_${i + 1}`);
  const environment = { ...app.node.environment, ...app.stores[store] };
  // A variable that is the port alone is set to each node's own port on the local backend.
  const portVariables = Object.entries(environment).filter(([, v]) => v === '{port}').map(([k]) => k);
  const storeService = store === 'redis' ? 'redis' : store === 'postgres' ? 'postgres' : undefined;
  const services: Record<string, Service> = {};
  const volumes: Record<string, null> = {};
  for (const node of names) {
    services[node] = {
      ...imageOf(app, node),
      // tini as PID 1: it passes SIGTERM on to an app that has no handler of its own.
      init: true,
      environment: substituted(environment, substitutions(node, app.node.port, secretPerNode)),
      ...(storeService ? { depends_on: { [storeService]: { condition: 'service_healthy' } } } : {}),
      // Each node's own file directory, as file-2 gives the shop's.
      ...(store === 'file' ? { volumes: [`${node}-sessions:/var/lib/lab-sessions`] } : {}),
      'x-lab-app': { port: app.node.port, ready: app.node.ready, portVariables, ...(app.node.command ? { command: app.node.command.map(composeLiteral), cwd: composeLiteral(app.dir) } : {}) },
    };
    if (store === 'file') volumes[`${node}-sessions`] = null;
  }
  // tls: nginx answers https with a certificate made for the run, as in redis-2-tls.
  const tls = variant === 'tls';
  const nginx = serviceOf(tls ? 'redis-2-tls' : 'redis-2', 'nginx');
  const template = `${join(projectRoot, 'nginx', 'nginx.conf.template')}:/etc/nginx/templates/default.conf.template:ro`;
  nginx.volumes = tls ? [template, 'tls:/etc/nginx/tls:ro'] : [template];
  nginx.ports = [tls ? '8443:443' : '8080:80'];
  const nginxEnv = nginx.environment as Record<string, string>;
  nginxEnv.NGINX_UPSTREAM_SERVERS = names.map((n) => `server ${n}:${app.node.port} resolve max_fails=1 fail_timeout=2s;`).join(' ');
  nginx.depends_on = {
    ...(tls ? { certificate: { condition: 'service_completed_successfully' } } : {}),
    ...Object.fromEntries(names.map((n) => [n, { condition: 'service_started' }])),
  };
  services.nginx = nginx;
  if (tls) {
    services.certificate = serviceOf('redis-2-tls', 'certificate');
    volumes.tls = null;
  }
  if (storeService) {
    services[storeService] = serviceOf(store === 'redis' ? 'redis-2' : 'postgres-2', storeService);
    volumes[`${storeService}-data`] = null;
  }
  // The name the lab looks for to attach to a project someone started from this file by hand.
  const compose = {
    name: `session-lab-${name}`,
    services,
    ...(Object.keys(volumes).length ? { volumes } : {}),
    ...(app.node.build ? { secrets: topologyDoc('redis-2').secrets } : {}),
  };
  mkdirSync(checkTopologiesDir, { recursive: true });
  const file = join(checkTopologiesDir, `${name}.yml`);
  const header = `# Written by \`npm run lab -- check ${app.file}\`: ${app.name} on ${store}, ${nodes} node(s) behind nginx.\n# Run it by hand with \`docker compose -f ${relative(process.cwd(), file)} up\`.\n`;
  writeFileSync(file, header + stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false }));
  return { file, nodes: names };
}
