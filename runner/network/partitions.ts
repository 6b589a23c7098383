// Partitions as data: which services cannot reach which. The backends only apply the result (the
// addresses each service drops); what a partition, a heal or an isolation means is decided here.

/** Two groups of services that cannot reach each other, in either direction. */
export type Partition = readonly [readonly string[], readonly string[]];

export class PartitionError extends Error {
  override name = 'PartitionError';
}

/**
 * Reads `a b | c d` (the fault's target) into its two groups, each a known service, no service in
 * both. `isolate` is the same with one service on one side and every other on the other.
 */
export function parsePartition(target: string, services: readonly string[]): Partition {
  const sides = target.split('|').map((side) => side.trim().split(/[\s,]+/).filter(Boolean));
  if (sides.length !== 2 || sides.some((side) => side.length === 0)) {
    throw new PartitionError(`a partition is two groups of services separated by "|" (e.g. "redis | redis_replica sentinel_1"), not "${target}"`);
  }
  for (const name of sides.flat()) {
    if (!services.includes(name)) throw new PartitionError(`no service "${name}" to partition; the topology has ${services.join(', ')}`);
  }
  const both = sides[0]!.filter((name) => sides[1]!.includes(name));
  if (both.length > 0) throw new PartitionError(`${both.join(', ')} cannot be on both sides of a partition`);
  return [sides[0]!, sides[1]!];
}

/** One service against every other one. */
export function isolation(service: string, services: readonly string[]): Partition {
  if (!services.includes(service)) throw new PartitionError(`no service "${service}" to isolate; the topology has ${services.join(', ')}`);
  return [[service], services.filter((name) => name !== service)];
}

/**
 * For every service, the services it must not exchange a packet with while these partitions hold
 * (each partition cuts both ways; partitions add up). Services cut from nothing are absent.
 */
export function cutOffPeers(partitions: readonly Partition[]): Map<string, Set<string>> {
  const peers = new Map<string, Set<string>>();
  const cut = (from: string, to: string) => {
    if (!peers.has(from)) peers.set(from, new Set());
    peers.get(from)!.add(to);
  };
  for (const [a, b] of partitions) {
    for (const x of a) for (const y of b) {
      cut(x, y);
      cut(y, x);
    }
  }
  return peers;
}

/** Makes one service's network drop exactly what comes from or goes to these peers (none: nothing). */
export type ApplyCutOff = (service: string, peers: readonly string[]) => Promise<void>;

/** How a backend controls its topology's network: partitions that add up, one heal for all. */
export interface NetworkControl {
  partition(partition: Partition): Promise<void>;
  heal(): Promise<void>;
}

/**
 * A NetworkControl over any backend that can give each service a drop list: it keeps the
 * partitions in force and rewrites every service's list on each change (an empty list for those
 * no longer cut off).
 */
export function partitionedNetwork(apply: ApplyCutOff): NetworkControl {
  const partitions: Partition[] = [];
  const touched = new Set<string>();
  const rewrite = async () => {
    const peers = cutOffPeers(partitions);
    for (const service of peers.keys()) touched.add(service);
    await Promise.all([...touched].map((service) => apply(service, [...(peers.get(service) ?? [])])));
    if (partitions.length === 0) touched.clear();
  };
  return {
    partition: async (partition) => {
      partitions.push(partition);
      await rewrite();
    },
    heal: async () => {
      partitions.length = 0;
      await rewrite();
    },
  };
}
