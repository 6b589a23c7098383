// `npm run lab -- k8s <topology>`: the topology's compose file as Kubernetes manifests, so that the
// compose files stay the only description of a topology. The mapping:
//   app nodes (server_1…N)   one Deployment of N pods (a StatefulSet with a volume claim per pod
//                            when each node has its own disk, as in file-2), NODE_NAME = pod name,
//                            readiness and liveness probes on /healthz, and a headless Service
//                            "shop" whose DNS name has one address per ready pod
//   nginx                    a Deployment running the same template from a ConfigMap (the official
//                            image renders it), its upstream the headless Service with `resolve`
//                            (one server per pod, the same balance setting), the cluster's DNS as
//                            resolver, and a Service
//   every other service      a StatefulSet of one pod with a Service of its name (Redis, its
//                            replica, the sentinels, PostgreSQL), a volume claim per named volume,
//                            its healthcheck as readiness probe
//   a one-shot service       an init container of the services that wait for it (the certificate)
//   a bind-mounted file      a ConfigMap mounted at the same path
//   a Redis Cluster          not generated: see k8sUnsupported
// Kubernetes names allow no "_": redis_replica becomes redis-replica, in names and in addresses.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { appServices, TopologyError, type ServiceSpec, type Topology } from './topology.ts';

export interface K8sOptions {
  /** The app image, built from compose/app.Dockerfile and loaded into the cluster. */
  image: string;
  namespace: string;
}

type Manifest = Record<string, unknown>;

const nodesName = 'shop';

export function k8sName(name: string): string {
  return name.replaceAll('_', '-').toLowerCase();
}

/** Every service name in a value (an address, a list of them, a command) as Kubernetes spells it. */
function renamed(value: string, topology: Topology): string {
  let result = value;
  for (const service of topology.services) {
    if (service.name !== k8sName(service.name)) result = result.replace(new RegExp(`(?<![\\w-])${service.name}(?![\\w-])`, 'g'), k8sName(service.name));
  }
  return result;
}

function env(environment: Record<string, string>, topology: Topology): { name: string; value: string }[] {
  return Object.entries(environment).map(([name, value]) => ({ name, value: renamed(value, topology) }));
}

function labels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'session-lab' };
}

function meta(name: string, options: K8sOptions): Manifest {
  return { name, namespace: options.namespace, labels: labels(name) };
}

/** The files a service mounts from the project (bind mounts) as one ConfigMap, and where they go. */
function configFiles(spec: ServiceSpec, options: K8sOptions): { configMap?: Manifest; volume?: Manifest; mounts: Manifest[] } {
  const binds = spec.volumes.filter((v) => v.bind);
  if (binds.length === 0) return { mounts: [] };
  const name = `${k8sName(spec.name)}-files`;
  const key = (source: string) => basename(source).replace(/[^\w.-]/g, '-');
  return {
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, options), data: Object.fromEntries(binds.map((v) => [key(v.source), readFileSync(v.source, 'utf8')])) },
    volume: { name: 'files', configMap: { name } },
    mounts: binds.map((v) => ({ name: 'files', mountPath: v.target, subPath: key(v.source), readOnly: true })),
  };
}

function claim(name: string): Manifest {
  return { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
}

function service(name: string, port: number, options: K8sOptions, headless = false): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, options),
    spec: { ...(headless ? { clusterIP: 'None' } : {}), selector: labels(name), ports: [{ name: 'main', port, targetPort: port }] },
  };
}

/** The one-shot services this one waits for, as init containers sharing their named volumes through emptyDirs. */
function initContainers(spec: ServiceSpec, topology: Topology): { containers: Manifest[]; volumes: Manifest[]; mounts: Manifest[] } {
  const oneShots = topology.services.filter((s) => s.kind === 'openssl' && spec.dependsOn.includes(s.name));
  const shared = new Set(oneShots.flatMap((s) => s.volumes.filter((v) => !v.bind).map((v) => v.source)));
  return {
    containers: oneShots.map((s) => ({
      name: k8sName(s.name),
      image: s.image,
      args: s.command,
      volumeMounts: s.volumes.filter((v) => !v.bind).map((v) => ({ name: v.source, mountPath: v.target })),
    })),
    volumes: [...shared].map((name) => ({ name, emptyDir: {} })),
    mounts: spec.volumes.filter((v) => !v.bind && shared.has(v.source)).map((v) => ({ name: v.source, mountPath: v.target, readOnly: true })),
  };
}

function appNodes(topology: Topology, options: K8sOptions): Manifest[] {
  const nodes = appServices(topology);
  const first = nodes[0]!;
  // NODE_NAME comes from each pod's name instead.
  const common = Object.fromEntries(Object.entries(first.environment).filter(([name]) => name !== 'NODE_NAME'));
  const port = first.containerPort;
  const probe = (extra: Manifest) => ({ httpGet: { path: '/healthz', port }, periodSeconds: 5, ...extra });
  // Per-node disks (file-2): each pod gets its own claim, as each container its own volume.
  const disks = first.volumes.filter((v) => !v.bind).map((v) => ({ name: v.source.replace(/^server_\d+-/, ''), mountPath: v.target }));
  const container = {
    name: 'node',
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: port }],
    env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, ...env(common, topology)],
    readinessProbe: probe({ failureThreshold: 2 }),
    // Generous: /healthz also says whether the store answers, and a store outage must not restart every node.
    livenessProbe: probe({ periodSeconds: 10, failureThreshold: 6, initialDelaySeconds: 10 }),
    ...(disks.length > 0 ? { volumeMounts: disks } : {}),
  };
  const template = { metadata: { labels: labels(nodesName) }, spec: { containers: [container] } };
  const workload =
    disks.length > 0
      ? {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: meta(nodesName, options),
          spec: { serviceName: nodesName, replicas: nodes.length, selector: { matchLabels: labels(nodesName) }, template, volumeClaimTemplates: disks.map((d) => claim(d.name)) },
        }
      : { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(nodesName, options), spec: { replicas: nodes.length, selector: { matchLabels: labels(nodesName) }, template } };
  return [workload, service(nodesName, port, options, true)];
}

function balancer(spec: ServiceSpec, topology: Topology, options: K8sOptions): Manifest[] {
  const name = k8sName(spec.name);
  const files = configFiles(spec, options);
  const init = initContainers(spec, topology);
  // The same per-server parameters (max_fails=… fail_timeout=…), one server name for every pod.
  const parameters = /server\s+\S+\s+([^;]*);/.exec(spec.environment.NGINX_UPSTREAM_SERVERS ?? '')?.[1]?.trim() ?? 'resolve';
  const upstream = `server ${nodesName}.${options.namespace}.svc.cluster.local:${appServices(topology)[0]!.containerPort} ${parameters};`;
  const environment = { ...spec.environment, NGINX_UPSTREAM_SERVERS: upstream, NGINX_RESOLVER: 'kube-dns.kube-system.svc.cluster.local' };
  const port = spec.containerPort;
  return [
    ...(files.configMap ? [files.configMap] : []),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name, options),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            ...(init.containers.length > 0 ? { initContainers: init.containers } : {}),
            containers: [
              {
                name: 'nginx',
                image: spec.image,
                ports: [{ name: 'http', containerPort: port }],
                env: env(environment, topology),
                readinessProbe: { tcpSocket: { port }, periodSeconds: 5 },
                volumeMounts: [...files.mounts, ...init.mounts],
              },
            ],
            volumes: [...(files.volume ? [files.volume] : []), ...init.volumes],
          },
        },
      },
    },
    service(name, port, options),
  ];
}

function statefulService(spec: ServiceSpec, topology: Topology, options: K8sOptions): Manifest[] {
  const name = k8sName(spec.name);
  const files = configFiles(spec, options);
  const disks = spec.volumes.filter((v) => !v.bind).map((v) => ({ name: k8sName(v.source), mountPath: v.target }));
  const environment = { ...spec.environment };
  // A new volume has lost+found at its root, which initdb refuses: the cluster goes one level down.
  if (spec.kind === 'postgres') environment.PGDATA = `${environment.PGDATA ?? '/var/lib/postgresql/data'}/pgdata`;
  return [
    ...(files.configMap ? [files.configMap] : []),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(name, options),
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            containers: [
              {
                name: spec.kind,
                image: spec.image,
                ...(spec.command.length > 0 ? { args: spec.command.map((arg) => renamed(arg, topology)) } : {}),
                ports: [{ name: 'main', containerPort: spec.containerPort }],
                env: env(environment, topology),
                ...(spec.healthcheck ? { readinessProbe: { exec: { command: spec.healthcheck }, periodSeconds: 2 } } : {}),
                volumeMounts: [...disks, ...files.mounts],
              },
            ],
            ...(files.volume ? { volumes: [files.volume] } : {}),
          },
        },
        volumeClaimTemplates: disks.map((d) => claim(d.name)),
      },
    },
    service(name, spec.containerPort, options),
  ];
}

/**
 * Why a topology has no manifests, if it has none. A Redis Cluster's nodes keep their identity in
 * nodes.conf and find each other by address: in Kubernetes a pod that is rescheduled comes back
 * with a new address and, without its file on a volume of its own, as a stranger the cluster
 * never takes back, while the node it replaced stays "failed". Keeping that right (volumes per
 * node, announced addresses, creating the cluster once, adding and removing nodes) is what the
 * Helm charts and operators for Redis Cluster do; a one-pod-per-service mapping would start and
 * then not heal.
 */
export function k8sUnsupported(topology: Topology): string | undefined {
  if (!topology.services.some((s) => s.kind === 'cluster-create')) return undefined;
  return (
    `${topology.name} runs a Redis Cluster, which this generator does not map: in Kubernetes, run one with a ` +
    'Helm chart or an operator for Redis Cluster (or a managed one), and point the nodes at it with ' +
    'REDIS_CLUSTER_NODES (a few of its nodes, host:port); the other manifests of a topology such as redis-2 apply as they are.'
  );
}

export function k8sManifests(topology: Topology, options: K8sOptions): Manifest[] {
  const unsupported = k8sUnsupported(topology);
  if (unsupported) throw new TopologyError(unsupported);
  const manifests: Manifest[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace, labels: { 'app.kubernetes.io/part-of': 'session-lab' } } }];
  manifests.push(...appNodes(topology, options));
  for (const spec of topology.services) {
    if (spec.kind === 'nginx') manifests.push(...balancer(spec, topology, options));
    else if (spec.kind !== 'app' && spec.kind !== 'openssl') manifests.push(...statefulService(spec, topology, options));
  }
  return manifests;
}

/** The manifests as one YAML stream, `kubectl apply -f -` ready. */
export function k8sYaml(topology: Topology, options: K8sOptions): string {
  const header = `# session-lab topology ${topology.name}, generated from compose/${topology.name}.yml by \`npm run lab -- k8s ${topology.name}\`\n`;
  return header + k8sManifests(topology, options).map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
}
