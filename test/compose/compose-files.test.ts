// What can be proved here about the Docker path without a Docker engine: every compose file is
// valid Compose, references files that exist, configures its nodes completely; the nginx template
// renders as the official image renders it; the Dockerfile builds a small non-root image.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { renderNginxTemplate } from '../../runner/nginx-template.ts';
import { appImage, appServices, composeDir, listTopologies, loadTopology, projectRoot } from '../../runner/topology.ts';

const schema = JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/compose-spec/compose-spec.json'), 'utf8')) as object;
// The spec names its meta-schema with https and no fragment; Ajv knows draft-07 by its http URL.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
const validate = ajv.compile(schema);

type ComposeService = {
  build?: { context: string; dockerfile: string };
  image?: string;
  volumes?: string[];
  ports?: string[];
  healthcheck?: object;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
};
type ComposeFile = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

function composeFile(name: string): ComposeFile {
  return parse(readFileSync(join(composeDir, `${name}.yml`), 'utf8'), { merge: true }) as ComposeFile;
}

const isSentinel = (spec: ComposeService) => spec.environment?.SENTINEL_PRIMARY !== undefined;
const isClusterCreate = (spec: ComposeService) => spec.environment?.CLUSTER_NODES !== undefined;

/** The Redis and PostgreSQL services of a compose file that hold data (not the sentinels, nor the job that makes a cluster). */
function stores(file: ComposeFile): [string, ComposeService][] {
  return Object.entries(file.services).filter(([, spec]) => (spec.image?.startsWith('redis') || spec.image?.startsWith('postgres')) && !isSentinel(spec) && !isClusterCreate(spec));
}

describe.each(listTopologies())('compose/%s.yml', (name) => {
  it('is valid against the official Compose Specification schema', () => {
    // The schema validates the file as Compose reads it: merge keys resolved.
    const valid = validate(composeFile(name));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('references files that exist: the build context, the Dockerfile, the nginx template', () => {
    const file = composeFile(name);
    for (const [service, spec] of Object.entries(file.services)) {
      if (spec.build) {
        const context = resolve(composeDir, spec.build.context);
        expect(statSync(context).isDirectory(), service).toBe(true);
        expect(existsSync(join(context, spec.build.dockerfile)), `${service} dockerfile`).toBe(true);
        expect(existsSync(join(context, '.dockerignore'))).toBe(true);
      }
      for (const volume of spec.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(resolve(composeDir, source)), `${service}: ${source}`).toBe(true);
        else expect(Object.keys(file.volumes ?? {}), `${service}: named volume ${source} declared`).toContain(source);
      }
    }
  });

  it('configures every app node completely: the app’s own parser accepts each node’s environment', () => {
    // A missing or bad variable would stop the container at start-up.
    for (const node of appServices(loadTopology(name))) expect(loadConfig(node.environment).nodeName).toBe(node.name);
  });

  it('trusts one proxy hop (nginx) on every node', () => {
    for (const node of appServices(loadTopology(name))) expect(loadConfig(node.environment).trustProxy).toBe(1);
  });

  // One topology exists to show what a second secret does.
  it.skipIf(name === 'redis-2-secret-mismatch')('gives every node the same session secret', () => {
    expect(new Set(appServices(loadTopology(name)).map((node) => node.environment.SESSION_SECRET)).size).toBe(1);
  });

  it('publishes only nginx, on 8080 (8443 for https when it terminates TLS)', () => {
    const services = composeFile(name).services;
    const published = Object.entries(services).filter(([, s]) => s.ports?.length);
    const port = services.nginx?.environment?.NGINX_TLS ? '8443:443' : '8080:80';
    expect(published.map(([n, s]) => [n, s.ports])).toEqual([['nginx', [port]]]);
  });

  it('pins every image it pulls to a release, never latest', () => {
    // PostgreSQL numbers its releases major.minor.
    for (const [service, spec] of Object.entries(composeFile(name).services)) {
      if (spec.image && spec.image !== appImage) expect(spec.image, service).toMatch(/^([a-z]+\/)?[a-z]+:\d+\.\d+(\.\d+)?(-[a-z]+)?$/);
    }
  });

  it('builds the app image once, by one node, and runs it on every node', () => {
    const nodes = appServices(loadTopology(name)).map((node) => composeFile(name).services[node.name]!);
    expect(nodes.filter((spec) => spec.build).length).toBe(1);
    for (const spec of nodes) expect(spec.image).toBe(appImage);
  });

  it('gives each store a healthcheck and a named data volume', () => {
    for (const [service, spec] of stores(composeFile(name))) {
      expect(spec.healthcheck, service).toBeDefined();
      expect(spec.volumes?.[0], service).toMatch(/^[a-z0-9-]+-data:\//);
    }
  });

  it('makes every node wait until its store is healthy (through Sentinel: until the sentinels are; a cluster: until it is made)', () => {
    const file = composeFile(name);
    const sentinels = Object.entries(file.services).filter(([, spec]) => isSentinel(spec));
    const clusterCreate = Object.entries(file.services).filter(([, spec]) => isClusterCreate(spec));
    const storeNames = (sentinels.length > 0 ? sentinels : stores(file)).map(([service]) => service);
    const expected =
      clusterCreate.length > 0
        ? Object.fromEntries(clusterCreate.map(([service]) => [service, { condition: 'service_completed_successfully' }]))
        : Object.fromEntries(storeNames.map((store) => [store, { condition: 'service_healthy' }]));
    for (const node of appServices(loadTopology(name))) {
      expect(file.services[node.name]!.depends_on ?? {}, node.name).toEqual(expected);
    }
  });
});

describe('the schema check', () => {
  it('refuses what Compose would refuse', () => {
    expect(validate({ services: { web: { image: 'nginx', restart_policy: 'always' } } })).toBe(false);
    expect(validate({ services: { web: { depends_on: { db: { condition: 'service_ready' } } } } })).toBe(false);
  });
});

describe('the topologies together', () => {
  it('have a Redis without persistence and one with an append-only file', () => {
    const appendOnly = (name: string) => loadTopology(name).services.find((s) => s.kind === 'redis')!.command.join(' ');
    expect(appendOnly('redis-2')).toContain('--appendonly no');
    expect(appendOnly('redis-2-aof')).toContain('--appendonly yes');
  });

  it('replicate Redis in redis-ha-2: a primary, a replica of it, three sentinels watching it, the nodes asking them', () => {
    const topology = loadTopology('redis-ha-2');
    const redis = topology.services.filter((s) => s.kind === 'redis');
    expect(redis.map((s) => s.command.includes('--replicaof'))).toEqual([false, true]);
    expect(redis[1]!.command.slice(-3)).toEqual(['--replicaof', 'redis', '6379']);
    const sentinels = topology.services.filter((s) => s.kind === 'sentinel');
    expect(sentinels.map((s) => s.environment.SENTINEL_PRIMARY)).toEqual(['redis:6379', 'redis:6379', 'redis:6379']);
    expect(appServices(topology)[0]!.environment.REDIS_SENTINELS).toBe(sentinels.map((s) => `${s.name}:26379`).join(','));
  });

  it('give file-store nodes separate volumes', () => {
    const file = composeFile('file-2');
    expect(file.services.server_1!.volumes).toEqual(['server_1-sessions:/var/lib/session-lab/sessions']);
    expect(file.services.server_2!.volumes).toEqual(['server_2-sessions:/var/lib/session-lab/sessions']);
  });
});

describe('the nginx template in the official image', () => {
  it.each(listTopologies())('%s: renders exactly as the image’s envsubst step does', (name) => {
    const nginx = loadTopology(name).services.find((s) => s.kind === 'nginx')!;
    const template = join(projectRoot, 'nginx', 'nginx.conf.template');
    // The image's 20-envsubst-on-templates.sh: envsubst over "${VAR} …" for every defined variable.
    const env = { ...nginx.environment, PATH: process.env.PATH ?? '', HOSTNAME: 'nginx', NGINX_VERSION: '1.30.4' };
    const defined = Object.keys(env).map((k) => `\${${k}}`).join(' ');
    const byEnvsubst = execFileSync('envsubst', [defined], { input: readFileSync(template), env, encoding: 'utf8' });
    expect(renderNginxTemplate(env, template)).toBe(byEnvsubst);
    expect(byEnvsubst).toMatch(/server server_1:3000[ ;]/);
    expect(byEnvsubst).toContain('$upstream_addr');
    expect(byEnvsubst).toContain('$cookie_lab_sid');
    expect(byEnvsubst).not.toMatch(/\$\{?NGINX_/);
  });
});

describe('compose/app.Dockerfile', () => {
  const dockerfile = readFileSync(join(composeDir, 'app.Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  it('is multi-stage on a pinned Node LTS slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:(2[02468])\.\d+\.\d+-[a-z]+-slim\b/);
  });

  it('runs as a non-root user, with a HEALTHCHECK on /healthz and the compiled app', () => {
    expect(final).toMatch(/^USER node$/m);
    expect(final.indexOf('USER node')).toBeGreaterThan(final.lastIndexOf('RUN '));
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(final).toMatch(/^CMD \["node", .*"dist\/app\/server\.js"\]$/m);
  });

  it('installs production dependencies only in the final stage', () => {
    expect(final).toContain('npm ci --omit=dev');
  });

  it('copies no sources into the final stage, only the compiled app', () => {
    expect(final).not.toMatch(/COPY (app|lib|test|runner|scenarios)\b/);
  });

  it('sends the build only what it needs: everything ignored but the listed files', () => {
    const ignore = readFileSync(join(projectRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toContain('*');
    expect(ignore.filter((line) => line.startsWith('!'))).toEqual(['!package.json', '!package-lock.json', '!tsconfig.json', '!tsconfig.build.json', '!lib/', '!app/']);
  });

  it('keeps the tools that run TypeScript and tests out of the production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['tsx']));
    expect(Object.keys(pkg.dependencies)).not.toContain('vitest');
  });

  it('builds its stage from files the .dockerignore lets through', () => {
    for (const copied of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'lib', 'app']) {
      expect(dockerfile).toContain(copied);
      expect(existsSync(join(dirname(composeDir), copied))).toBe(true);
    }
  });
});
