// Three real redis-servers, each in a network namespace of its own (as a local run that needs
// network faults has them), wrapped as a running topology: the network fault tests cut them apart
// and look at what one can still reach from inside another's namespace.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import type { RunningTopology } from '../../runner/backend.ts';
import { findBinary } from '../../runner/binaries.ts';
import { networkFaultsUnavailable } from '../../runner/network/cut-off.ts';
import { createRunNamespaces, type RunNamespaces } from '../../runner/local/namespaces.ts';
import { RedisServer } from '../../runner/servers/redis.ts';
import { makeTempDir } from '../../runner/temp-dir.ts';
import type { ServiceSpec } from '../../runner/topology.ts';

/** Why these tests cannot run here (not root, no nft), or undefined. */
export const networkTestsSkipped = networkFaultsUnavailable();

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

export interface NamespacedServices {
  running: RunningTopology;
  namespaces: RunNamespaces;
  /** Whether a TCP connect from inside one service's namespace to another's Redis gets a PONG within timeoutMs. */
  reaches(from: string, to: string, timeoutMs?: number): Promise<boolean>;
}

const script = (host: string, timeoutMs: number) =>
  `const s=require("net").connect(6379,${JSON.stringify(host)});s.setTimeout(${timeoutMs},()=>{console.log("timeout");process.exit(0)});` +
  `s.on("connect",()=>s.write("PING\\r\\n"));s.on("data",d=>{console.log(String(d).trim());process.exit(0)});s.on("error",e=>{console.log(e.code);process.exit(0)})`;

export async function namespacedRedisServices(names = ['a', 'b', 'c']): Promise<NamespacedServices> {
  const dir = await makeTempDir('network-fault');
  const namespaces = await createRunNamespaces(names);
  const servers = new Map(
    names.map((name) => [name, new RedisServer({ name, host: namespaces.addresses.get(name)!, port: 6379, netns: namespaces.path(name), dir: `${dir.path}/${name}` })]),
  );
  cleanups.push(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await namespaces.remove();
    await dir.remove();
  });
  await Promise.all([...servers.values()].map((s) => s.start()));
  const spec = (name: string): ServiceSpec => ({ name, kind: 'redis', image: 'redis', healthcheck: undefined, environment: {}, containerPort: 6379, command: [], volumes: [], dependsOn: [], spare: false });
  const running: RunningTopology = {
    topology: { name: 'namespaced-redis', file: 'none', services: names.map(spec) },
    balancerUrl: 'http://127.0.0.1:1',
    runDir: dir.path,
    probe: () => Promise.reject(new Error('no app node')),
    service: (name) => servers.get(name)!,
    network: namespaces.network,
    down: async () => {},
  };
  const reaches = async (from: string, to: string, timeoutMs = 500) => {
    const { stdout } = await promisify(execFile)(findBinary('nsenter'), [`--net=${namespaces.path(from)}`, '--', process.execPath, '-e', script(namespaces.addresses.get(to)!, timeoutMs)]);
    return stdout.trim() === '+PONG';
  };
  return { running, namespaces, reaches };
}
