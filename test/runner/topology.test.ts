// The local backend's reading of every compose file, and the one mapping it runs them through.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBinary, MissingBinaryError } from '../../runner/binaries.ts';
import { localEnvironment, loopbackEndpoints, rewriteAddresses } from '../../runner/local/address-map.ts';
import { startOrder } from '../../runner/local/backend.ts';
import { localNginxEnvironment, localPath, localService, postgresSettings } from '../../runner/local/from-compose.ts';
import { renderNginxTemplate, renderTemplate } from '../../runner/nginx-template.ts';
import { BalancerError, listedNodes, upstreamServersFor } from '../../runner/balancer.ts';
import { appServices, listTopologies, loadTopology, oneShotKinds, parseTopology, projectRoot, spareNodes, TopologyError } from '../../runner/topology.ts';

const required = ['memory-1', 'file-1', 'memory-2', 'file-2', 'redis-2', 'postgres-2'];

describe('the compose topologies, as the local backend reads them', () => {
  it('include at least the article’s six', () => {
    expect(loadTopology('file-2').services.map((s) => s.name)).toContain('postgres');
    expect(listTopologies()).toEqual(expect.arrayContaining(required));
  });

  it.each(listTopologies())('%s: N app nodes named server_1…server_N, one nginx, the store its name says', (name) => {
    const topology = loadTopology(name);
    const nodes = appServices(topology);
    const count = Number(/-(\d+)/.exec(name)![1]);
    expect(nodes.map((s) => s.name)).toEqual(Array.from({ length: count }, (_, i) => `server_${i + 1}`));
    const store = name.split('-')[0];
    for (const node of nodes) {
      expect(node.environment).toMatchObject({ NODE_NAME: node.name, SESSION_STORE: store, PORT: '3000' });
      expect(node.containerPort).toBe(3000);
    }
    // A one-shot openssl service makes the certificate of a balancer that terminates TLS; a
    // replicated Redis has a replica and sentinels beside its primary; a cluster, a one-shot job
    // that makes it of its nodes.
    const kinds = topology.services.filter((s) => !s.spare).map((s) => s.kind).filter((k, i, all) => !oneShotKinds.has(k) && k !== 'sentinel' && (k !== 'redis' || all.indexOf(k) === i)).sort();
    // Login needs PostgreSQL, whatever the session store.
    const database = nodes[0]!.environment.DATABASE_URL !== undefined ? ['postgres'] : [];
    const expectedKinds = [...nodes.map(() => 'app'), 'nginx', ...new Set([...(store === 'redis' || store === 'postgres' ? [store] : []), ...database])].sort();
    expect(kinds).toEqual(expectedKinds);
    const nginx = topology.services.find((s) => s.kind === 'nginx')!;
    // Each node once, with or without nginx's per-server settings (max_fails=… fail_timeout=…).
    expect(nginx.environment.NGINX_UPSTREAM_SERVERS!.split(';').filter((s) => s.trim()).map((s) => s.trim().split(/\s+/)[1])).toEqual(nodes.map((n) => `${n.name}:3000`));
    expect(nginx.dependsOn.filter((d) => d !== 'certificate')).toEqual(nodes.map((n) => n.name));
  });

  it('gives each file-store node a volume of its own', () => {
    const [first, second] = appServices(loadTopology('file-2'));
    const runDir = '/run';
    const dir = (spec: typeof first) => localPath(spec!, spec!.environment.SESSION_FILE_DIR!, runDir);
    expect(dir(first)).toBe('/run/volumes/server_1-sessions');
    expect(dir(second)).toBe('/run/volumes/server_2-sessions');
  });

  describe('the address mapping', () => {
    const topology = loadTopology('postgres-2');
    const ports = loopbackEndpoints(new Map([['server_1', 4001], ['server_2', 4002], ['nginx', 4000], ['postgres', 4003]]));
    const service = (name: string) => topology.services.find((s) => s.name === name)!;

    it('gives a node its own local port and the store’s local address', () => {
      expect(localEnvironment(service('server_1'), topology, ports)).toMatchObject({ PORT: '4001', DATABASE_URL: 'postgres://lab:lab@127.0.0.1:4003/lab' });
    });

    it('gives nginx its own local port and the nodes’ local addresses, keeping their settings', () => {
      expect(localEnvironment(service('nginx'), topology, ports)).toMatchObject({
        NGINX_PORT: '4000',
        NGINX_UPSTREAM_SERVERS: 'server 127.0.0.1:4001 max_fails=1 fail_timeout=2s; server 127.0.0.1:4002 max_fails=1 fail_timeout=2s;',
      });
    });

    it('rewrites only whole host:port pairs: server_10 or another port is left alone', () => {
      expect(rewriteAddresses('server_10:3000 server_1:30001 xserver_1:3000', topology, ports)).toBe('server_10:3000 server_1:30001 xserver_1:3000');
    });
  });

  it('starts stores before nodes and nodes before nginx', () => {
    expect(startOrder(loadTopology('redis-2'))).toEqual([['redis', 'postgres'], ['server_1', 'server_2', 'server_3'], ['nginx']]);
  });

  it('reads compose’s $$ as a literal $, as compose hands it to the container', () => {
    expect(loadTopology('file-2-sticky-cookie').services.find((s) => s.kind === 'nginx')!.environment.NGINX_BALANCE).toBe('hash $cookie_lab_sid consistent;');
  });

  it('refuses a host variable it would have to substitute, naming it', () => {
    const text = 'services:\n  web:\n    image: nginx:1\n    environment:\n      A: "${HOME}"\n';
    expect(() => parseTopology('x', '/x.yml', text)).toThrow('A: compose would substitute a host variable in "${HOME}"; write $$ for a literal $');
  });

  it('refuses what it cannot run, naming the service', () => {
    const text = 'services:\n  db:\n    image: mysql:8\n';
    expect(() => parseTopology('x', '/x.yml', text)).toThrow(new TopologyError('service db: the local backend runs the app (build) and the nginx, redis, postgres and alpine/openssl images, not "mysql:8"'));
    expect(() => loadTopology('nope')).toThrow(/unknown topology "nope"; known: cookie-2, cookie-2-5min-ttl, file-1/);
  });

  it('holds back a node with the scale-out profile: not among the nodes, not listed by the balancer', () => {
    const topology = loadTopology('file-2-sticky-cookie');
    expect(appServices(topology).map((s) => s.name)).toEqual(['server_1', 'server_2']);
    expect(spareNodes(topology).map((s) => s.name)).toEqual(['server_3']);
    expect(listedNodes(topology)).toEqual(['server_1', 'server_2']);
  });

  it('runs PostgreSQL with the settings its compose command gives, and refuses a command it cannot read', () => {
    const postgres = loadTopology('postgres-2-max-connections').services.find((s) => s.kind === 'postgres')!;
    expect(postgresSettings(postgres)).toEqual({ max_connections: '20' });
    expect(() => postgresSettings({ ...postgres, command: ['postgres', '--max_connections=20'] })).toThrow('postgres: the local backend takes a PostgreSQL command of -c name=value pairs only');
  });

  it('refuses any other profile, naming the service', () => {
    const text = 'services:\n  redis:\n    image: redis:7\n    profiles: [debug]\n  nginx:\n    image: nginx:1\n';
    expect(() => parseTopology('x', '/x.yml', text)).toThrow('service redis: the only profile a topology may give is ["scale-out"], to an app node held back for scale-out');
  });
});

describe('the balancer’s list after scaling', () => {
  const topology = loadTopology('file-2-sticky-cookie');

  it('keeps the listed nodes’ entries and gives a spare the first one’s parameters', () => {
    expect(upstreamServersFor(topology, ['server_1', 'server_2', 'server_3'])).toBe(
      'server server_1:3000 resolve max_fails=1 fail_timeout=2s; server server_2:3000 resolve max_fails=1 fail_timeout=2s; server server_3:3000 resolve max_fails=1 fail_timeout=2s;',
    );
    expect(upstreamServersFor(topology, ['server_2'])).toBe('server server_2:3000 resolve max_fails=1 fail_timeout=2s;');
  });

  it('refuses an empty list, or a service that is not a node', () => {
    expect(() => upstreamServersFor(topology, [])).toThrow(BalancerError);
    expect(() => upstreamServersFor(topology, ['nginx'])).toThrow('"nginx" is not an app node of file-2-sticky-cookie');
  });
});

describe('the nginx template', () => {
  it('is rendered like the official image’s envsubst: defined variables only, nginx’s own left alone', () => {
    expect(renderTemplate('listen ${NGINX_PORT}; $NGINX_PORT $remote_addr ${request_time} $cookie_lab_sid $UNSET', { NGINX_PORT: '80' })).toBe(
      'listen 80; 80 $remote_addr ${request_time} $cookie_lab_sid $UNSET',
    );
  });

  it.each(listTopologies())('rendered for %s passes nginx -t, with the upstreams as loopback', async (name) => {
    const topology = loadTopology(name);
    const endpoints = loopbackEndpoints(new Map(topology.services.map((s, i) => [s.name, 40000 + i])));
    const nginx = topology.services.find((s) => s.kind === 'nginx')!;
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-nginx-t-'));
    try {
      // The certificate a TLS balancer loads, made by the topology's own openssl service.
      const context = { topology, endpoints, runDir: dir, output: () => () => {} };
      for (const spec of topology.services.filter((s) => s.kind === 'openssl')) await localService(spec, context).server.start();
      writeFileSync(join(dir, 'shop.conf'), renderNginxTemplate(localNginxEnvironment(nginx, context)));
      writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid; error_log stderr; events {} http { include ${dir}/shop.conf; }\n`);
      // The access log is /dev/stdout, which nginx reopens by path: give it a file, not a socket.
      const stdout = openSync(join(dir, 'stdout'), 'w');
      const check = spawnSync(findBinary('nginx'), ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'] });
      closeSync(stdout);
      expect(check.stderr).toContain('test is successful');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('projectRoot', () => {
  it('is the folder of the project’s package.json', () => {
    expect(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).name).toBe('session-lab');
  });
});

describe('findBinary', () => {
  it('finds PostgreSQL outside PATH and says how to install what is missing', () => {
    expect(findBinary('postgres')).toMatch(/\/postgres$/);
    expect(() => findBinary('no-such-lab-binary')).toThrow(MissingBinaryError);
    expect(() => findBinary('no-such-lab-binary')).toThrow('no-such-lab-binary not found: install it with `npm run setup`');
  });
});
