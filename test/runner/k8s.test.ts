// Every topology as Kubernetes manifests, validated offline against the Kubernetes OpenAPI schemas
// that kubernetes-models 4.5.1 ships (no cluster here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { k8sManifests, k8sUnsupported, k8sYaml } from '../../runner/k8s.ts';
import { appServices, listTopologies, loadTopology, projectRoot } from '../../runner/topology.ts';

const options = { image: 'session-lab:dev', namespace: 'lab' };
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'apps/v1 StatefulSet': StatefulSet,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Namespace': Namespace,
};

// The manifests are read back as plain YAML, walked by path in the claims below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, any>; data?: Record<string, string> };
const docs = (name: string): Doc[] => parseAllDocuments(k8sYaml(loadTopology(name), options)).map((d) => d.toJS() as Doc);
const find = (name: string, kind: string, metaName: string) => docs(name).find((d) => d.kind === kind && d.metadata.name === metaName);
const envOf = (doc: Doc | undefined, container = 0) => Object.fromEntries((doc!.spec!.template.spec.containers[container].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));

describe.each(listTopologies().filter((name) => !k8sUnsupported(loadTopology(name))))('%s on Kubernetes', (name) => {
  it('is a YAML stream of objects valid against the Kubernetes schemas', () => {
    const parsed = docs(name);
    expect(parsed.length).toBe(k8sManifests(loadTopology(name), options).length);
    for (const doc of parsed) {
      const Model = models[`${doc.apiVersion} ${doc.kind}`];
      expect(Model, `${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
  });

  it('runs its nodes with readiness and liveness probes on /healthz and a headless Service, one pod per node', () => {
    const nodes = docs(name).find((d) => d.metadata.name === 'shop' && d.kind !== 'Service')!;
    const container = nodes.spec!.template.spec.containers[0];
    expect([container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path]).toEqual(['/healthz', '/healthz']);
    // A spare node (scale-out) is what `kubectl scale` adds: not a replica at start.
    expect(nodes.spec!.replicas).toBe(appServices(loadTopology(name)).length);
    expect(find(name, 'Service', 'shop')!.spec!.clusterIP).toBe('None');
  });

  it('gives nginx the same template and balance setting, its upstream one server per pod of the nodes', () => {
    const compose = loadTopology(name).services.find((s) => s.kind === 'nginx')!;
    const nginx = envOf(find(name, 'Deployment', 'nginx'));
    expect(nginx.NGINX_BALANCE).toBe(compose.environment.NGINX_BALANCE);
    expect(nginx.NGINX_UPSTREAM_SERVERS).toMatch(/^server shop\.lab\.svc\.cluster\.local:3000 resolve[ ;]/);
    expect(find(name, 'ConfigMap', 'nginx-files')!.data!['nginx.conf.template']).toBe(readFileSync(join(projectRoot, 'nginx', 'nginx.conf.template'), 'utf8'));
  });

  it('runs every store as a StatefulSet with a Service of its name', () => {
    for (const spec of loadTopology(name).services.filter((s) => ['redis', 'sentinel', 'postgres'].includes(s.kind))) {
      const k8s = spec.name.replaceAll('_', '-');
      expect(find(name, 'StatefulSet', k8s), spec.name).toBeDefined();
      expect(find(name, 'Service', k8s)!.spec!.ports[0].port, spec.name).toBe(spec.containerPort);
    }
  });
});

describe('the Kubernetes mapping', () => {
  it('gives each node its own disk where the compose file does (file-2): a StatefulSet with a claim per pod', () => {
    const nodes = find('file-2', 'StatefulSet', 'shop')!;
    expect(nodes.spec!.volumeClaimTemplates.map((c: Doc) => c.metadata.name)).toEqual(['sessions']);
    expect(find('redis-2', 'Deployment', 'shop')).toBeDefined();
  });

  it('spells service names as Kubernetes allows, in names and addresses (redis-ha-2)', () => {
    expect(envOf(find('redis-ha-2', 'Deployment', 'shop')).REDIS_SENTINELS).toBe('sentinel-1:26379,sentinel-2:26379,sentinel-3:26379');
    expect(find('redis-ha-2', 'StatefulSet', 'redis-replica')!.spec!.template.spec.containers[0].args.slice(-3)).toEqual(['--replicaof', 'redis', '6379']);
  });

  it('makes the certificate of a TLS balancer in an init container (redis-2-tls)', () => {
    const pod = find('redis-2-tls', 'Deployment', 'nginx')!.spec!.template.spec;
    expect(pod.initContainers[0].image).toMatch(/^alpine\/openssl:/);
    expect(pod.volumes).toContainEqual({ name: 'tls', emptyDir: {} });
  });
});

describe('a topology the generator does not map', () => {
  it('says why, and what to run instead (redis-cluster-2)', () => {
    expect(() => k8sYaml(loadTopology('redis-cluster-2'), options)).toThrow(/runs a Redis Cluster.*Helm chart or an operator.*REDIS_CLUSTER_NODES/);
  });
});

describe('the schema check', () => {
  it('refuses what the API server would refuse', () => {
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });
});
