// Throughput and latency of the read path (GET /cart) and the write path (POST /cart/items) for
// each store, direct to a node and through nginx, against a no-session baseline. Every case runs
// in the same invocation, interleaved in a new order each round; medians are reported.
import { join } from 'node:path';
import type { RunningTopology } from '../runner/backend.ts';
import { startLocalTopology, type LocalTopology } from '../runner/local/backend.ts';
import { makeTempDir } from '../runner/temp-dir.ts';
import { spawnManaged } from '../runner/processes.ts';
import { ProcessService } from '../runner/servers/process-service.ts';
import { RedisServer } from '../runner/servers/redis.ts';
import { median } from '../lib/stats.ts';
import { freePort } from '../runner/free-port.ts';
import { appServices, loadTopology, projectRoot } from '../runner/topology.ts';
import { startBeside } from './beside.ts';
import type { BenchGroup, ThroughputGroup } from './groups.ts';
import { sessionPool, userPool, type Identities } from './identities.ts';
import { LoadGenerator } from './load-generator.ts';
import { listeners, perRequestMicros, readGroups, type ProcessGroups } from './process-cpu.ts';
import type { BenchSettings } from './settings.ts';

export interface Target {
  name: string;
  url: string;
  /**
   * Sessions per path: the write path adds lines to its sessions' carts, so the read path has
   * sessions of its own whose carts keep their three lines.
   */
  identities: Record<CaseResult['path'], Identities>;
  /** Its processes by part (node, store, balancer), for the CPU each spends per request. */
  processes: ProcessGroups;
  /**
   * The groups of cases compared with each other that it belongs to: its store's (the node, its
   * variants, its peer, nginx in front) and, for a store's node direct, the stores' (every
   * store's node and the no-session baseline). The cases of a group run one after the other in
   * each round, so that a ratio between them is taken over moments seconds apart rather than
   * minutes apart on a machine whose load moves; a case in two groups runs in both.
   */
  blocks: string[];
  /** The group it belongs to (--only picks groups). */
  group: ThroughputGroup;
}

/** Two pools made alike, one for each path. */
async function pools(make: () => Promise<Identities>): Promise<Target['identities']> {
  return { read: await make(), write: await make() };
}

export interface CaseResult {
  target: string;
  path: 'read' | 'write';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
  /**
   * Microseconds of CPU per request, by part: node (or peer, or baseline), store, balancer (nginx),
   * load generator, and benchmark (this process, which reads the nodes' log lines).
   */
  cpuMicros: Record<string, number>;
  /** Each run's throughput, with its round and the group it ran in (ratios pair runs by them). */
  runs: { round: number; block: string; requestsPerSecond: number }[];
}

/**
 * Redis with `appendfsync always` (an fsync before every write is answered) and one node on it,
 * with redis-2-aof's server_1 environment otherwise: the strictest AOF beside everysec and none.
 */
async function startAofAlwaysNode(topology: LocalTopology): Promise<{ url: string; redisPort: number; stop(): Promise<void> }> {
  const dir = await makeTempDir('redis-aof-always');
  const redis = new RedisServer({ name: 'redis-aof-always', port: await freePort(), dir: dir.path, persistence: ['--appendonly', 'yes', '--appendfsync', 'always'] });
  let node: { url: string; stop(): Promise<void> } | undefined;
  const stop = async () => {
    await node?.stop();
    await redis.stop();
    await dir.remove();
  };
  try {
    await redis.start();
    node = await startBeside(topology, 'aof always', { REDIS_URL: `redis://127.0.0.1:${redis.port}` });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: node.url, redisPort: redis.port, stop };
}

async function startBaseline(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const baseline = new ProcessService({
    name: 'baseline',
    port,
    launch: async () =>
      spawnManaged('baseline', process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'baseline-server.ts')], {
        cwd: projectRoot,
        env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      }),
    ready: async () => (await fetch(`${url}/cart`)).arrayBuffer(),
  });
  await baseline.start();
  return { url, stop: () => baseline.stop() };
}

/** The port of a URL (http://host:port, redis://…, postgres://…). */
function portOf(url: string): number {
  return Number(new URL(url).port);
}

/**
 * The session store's server a node with this environment uses, as a group of processes; none
 * for memory, file and cookie sessions.
 */
function storeGroup(environment: Record<string, string>): ProcessGroups {
  const url = environment.SESSION_STORE === 'redis' ? environment.REDIS_URL : environment.SESSION_STORE === 'postgres' ? environment.DATABASE_URL : undefined;
  return url ? { store: listeners(portOf(url)) } : {};
}

export interface ThroughputRig {
  targets: Target[];
  topologies: Record<string, LocalTopology>;
  loadGenerator: LoadGenerator;
  stop(): Promise<void>;
}

/**
 * Starts what the chosen groups need (topologies, the baseline, nodes beside them, the load
 * generator) and creates the session pools. A store's node direct runs in the stores' group
 * (against the baseline and the other stores) and in its store's group when a variant of it is
 * chosen (nginx, cart in session, touch, peer, AOF, logged in), each run paired with theirs.
 */
export async function startRig(settings: BenchSettings, groups: ReadonlySet<BenchGroup>): Promise<ThroughputRig> {
  const topologies: Record<string, LocalTopology> = {};
  const extraNodes: { stop(): Promise<void> }[] = [];
  let baseline: { url: string; stop(): Promise<void> } | undefined;
  let loadGenerator: LoadGenerator | undefined;
  const stop = async () => {
    await loadGenerator?.stop();
    await Promise.all(extraNodes.map((n) => n.stop()));
    await Promise.all(Object.values(topologies).map((t) => t.down()));
    await baseline?.stop();
  };
  const stores = [
    ['memory', 'memory-1'],
    ['file', 'file-1'],
    ['redis', 'redis-2'],
    ['postgres', 'postgres-2'],
    ['cookie', 'cookie-2'],
  ] as const;
  // Which variants each store's group holds (the cookie store has no other cart mode).
  const variantsOf = (store: string): ThroughputGroup[] =>
    (['nginx', 'cart-in-session', 'touch', 'peer', 'aof', 'logged-in'] as const).filter(
      (g) => groups.has(g) && (g === 'nginx' || (store !== 'cookie' && (g === 'aof' ? store === 'redis' : g === 'logged-in' ? store === 'postgres' : true))),
    );
  try {
    const started = async (name: string) => {
      topologies[name] = await startLocalTopology(loadTopology(name));
    };
    const needed = stores.filter(([store]) => groups.has('stores') || variantsOf(store).length > 0).map(([, topology]) => topology);
    [baseline, loadGenerator] = await Promise.all([startBaseline(), LoadGenerator.start(), ...needed.map(started), ...(groups.has('aof') ? [started('redis-2-aof')] : [])]);
    // A node's own address, as nginx reports it in X-Upstream (local runs: 127.0.0.1:<port>).
    const direct = async (t: RunningTopology) => `http://${(await fetch(`${t.balancerUrl}/healthz`)).headers.get('x-upstream')}`;
    const targets: Target[] = [];
    if (groups.has('stores')) targets.push({ name: 'baseline (no session)', url: baseline.url, identities: { read: [{}], write: [{}] }, processes: { node: listeners(portOf(baseline.url)) }, blocks: ['stores'], group: 'stores' });
    for (const [store, topology] of stores) {
      const variants = variantsOf(store);
      if (!groups.has('stores') && variants.length === 0) continue;
      const running = topologies[topology]!;
      const storeServer = storeGroup(running.environment('server_1'));
      const directUrl = await direct(running);
      const pool = await pools(() => sessionPool(directUrl, settings.sessionPool));
      const blocks = [...(variants.length > 0 ? [store] : []), ...(groups.has('stores') ? ['stores'] : [])];
      targets.push({ name: `${store} direct`, url: directUrl, identities: pool, processes: { node: listeners(portOf(directUrl)), ...storeServer }, blocks, group: 'stores' });
      if (variants.includes('nginx')) {
        // The nodes the balancer lists (a spare node held back for scale-out is not one).
        const listed = appServices(running.topology).map((s) => s.name);
        const nodes = listed.length === 1 ? '1 node' : `${listed.length} nodes`;
        targets.push({
          name: `${store} via nginx, ${nodes}`,
          url: running.balancerUrl,
          identities: pool,
          processes: { node: listed.flatMap((name) => listeners(Number(running.environment(name).PORT))), ...storeServer, balancer: listeners(portOf(running.balancerUrl)) },
          blocks: [store],
          group: 'nginx',
        });
      }
      const beside = async (name: string, group: ThroughputGroup, changes: Record<string, string>, peer = false) => {
        const node = await startBeside(running, name, changes, { peer });
        extraNodes.push(node);
        targets.push({
          name: `${store} direct, ${name}`,
          url: node.url,
          identities: await pools(() => sessionPool(node.url, settings.sessionPool)),
          processes: { node: listeners(portOf(node.url)), ...storeServer },
          blocks: [store],
          group,
        });
      };
      if (variants.includes('cart-in-session')) await beside('cart in session', 'cart-in-session', { CART_MODE: 'session' });
      if (variants.includes('touch')) await beside('touch on every read', 'touch', { SESSION_TOUCH_AFTER_SECONDS: '0' });
      if (variants.includes('peer')) await beside('plain peer', 'peer', {}, true);
      if (variants.includes('aof')) {
        const everysec = topologies['redis-2-aof']!;
        const everysecUrl = await direct(everysec);
        targets.push({
          name: 'redis (AOF everysec) direct',
          url: everysecUrl,
          identities: await pools(() => sessionPool(everysecUrl, settings.sessionPool)),
          processes: { node: listeners(portOf(everysecUrl)), ...storeGroup(everysec.environment('server_1')) },
          blocks: ['redis'],
          group: 'aof',
        });
        const aofAlways = await startAofAlwaysNode(everysec);
        extraNodes.push(aofAlways);
        targets.push({
          name: 'redis (AOF always) direct',
          url: aofAlways.url,
          identities: await pools(() => sessionPool(aofAlways.url, settings.sessionPool)),
          processes: { node: listeners(portOf(aofAlways.url)), store: listeners(aofAlways.redisPort) },
          blocks: ['redis'],
          group: 'aof',
        });
      }
      if (variants.includes('logged-in')) {
        targets.push({
          name: 'postgres direct, logged in (token check, DB cart)',
          url: directUrl,
          identities: await pools(() => userPool(directUrl, settings.users)),
          processes: { node: listeners(portOf(directUrl)), ...storeServer },
          blocks: ['postgres'],
          group: 'logged-in',
        });
      }
    }
    for (const target of targets) {
      for (const [part, pids] of Object.entries(target.processes)) if (pids.length === 0) throw new Error(`${target.name}: no process of its ${part} found listening`);
    }
    return { targets, topologies, loadGenerator, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function load(rig: ThroughputRig, target: Target, path: CaseResult['path'], settings: BenchSettings, run: { round: number; block: string }): Promise<CaseResult> {
  const groups: ProcessGroups = { ...target.processes, 'load generator': [rig.loadGenerator.pid] };
  const before = readGroups(groups);
  // This process alone (its children are the servers, each counted in its own group).
  const ownBefore = process.cpuUsage();
  const outcome = await rig.loadGenerator.run({
    url: target.url,
    path,
    identities: target.identities[path],
    // Ten skus a round, from four sets in turn: a write session's cart holds at most 3 + 4 × 10
    // lines (the limit is 50), and its adds spread over them so that no line nears its 999 limit.
    skuPrefix: `bench-${run.round % 4}`,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    maxRequests: settings.maxRequests,
  });
  const own = process.cpuUsage(ownBefore);
  const after = { ...readGroups(groups), benchmark: (own.user + own.system) / 1e6 };
  // Measured over the run's own elapsed time: a run may end early on its request bound.
  const requestsPerSecond = Math.round(outcome.requests / (outcome.elapsedMs / 1000));
  return {
    target: target.name,
    path,
    requestsPerSecond,
    p50Ms: outcome.p50Ms,
    p99Ms: outcome.p99Ms,
    errors: outcome.errors,
    non2xx: outcome.non2xx,
    requests: outcome.requests,
    cpuMicros: perRequestMicros({ ...before, benchmark: 0 }, after, outcome.requests),
    runs: [{ ...run, requestsPerSecond }],
  };
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** How far a measurement has come: runs done of all, in which round. */
export interface RunProgress {
  done: number;
  total: number;
  round: number;
  rounds: number;
}

/** Load runs in one round: each case once per group it runs in, both paths. */
export function runsPerRound(targets: readonly Target[]): number {
  return targets.reduce((sum, target) => sum + target.blocks.length * 2, 0);
}

/** Every case in every round, the groups and the cases in each in a new order each round; medians. */
export async function measureThroughput(rig: ThroughputRig, settings: BenchSettings, onCase: (r: CaseResult, progress: RunProgress) => void): Promise<CaseResult[]> {
  const blocks = new Map<string, { target: Target; path: CaseResult['path']; block: string }[]>();
  for (const target of rig.targets) {
    for (const block of target.blocks) {
      for (const path of ['read', 'write'] as const) blocks.set(block, [...(blocks.get(block) ?? []), { target, path, block }]);
    }
  }
  const runs = new Map<string, CaseResult[]>();
  const total = settings.rounds * runsPerRound(rig.targets);
  let done = 0;
  for (let round = 0; round < settings.rounds; round++) {
    for (const { target, path, block } of shuffled([...blocks.values()]).flatMap((cases) => shuffled(cases))) {
      const result = await load(rig, target, path, settings, { round, block });
      onCase(result, { done: ++done, total, round: round + 1, rounds: settings.rounds });
      const key = `${target.name}|${path}`;
      runs.set(key, [...(runs.get(key) ?? []), result]);
    }
  }
  return [...runs.values()].map((results) => ({
    ...results[0]!,
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    cpuMicros: Object.fromEntries(Object.keys(results[0]!.cpuMicros).map((part) => [part, median(results.map((r) => r.cpuMicros[part] ?? 0))])),
    runs: results.flatMap((r) => r.runs),
  }));
}
