import type { RunningTopology } from '../backend.ts';
import { parsePartition } from '../network/partitions.ts';
import { missingCapability } from './missing-capability.ts';

/**
 * `partition a b | c d`: every packet between a service of one group and a service of the other
 * is dropped without an answer, both ways, until `heal` (a connect hangs until its timeout, an open
 * connection stops hearing back, as across a real partition). Services in neither group, and the
 * host, still reach everyone. Partitions add up.
 */
export async function partition(running: RunningTopology, groups: string): Promise<void> {
  if (!running.network) throw missingCapability('partition', groups);
  await running.network.partition(parsePartition(groups, running.topology.services.map((s) => s.name)));
}
