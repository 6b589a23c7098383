import type { RunningTopology } from '../backend.ts';
import { isolation } from '../network/partitions.ts';
import { missingCapability } from './missing-capability.ts';

/** `isolate s`: a partition between s and every other service of the topology, until `heal`. */
export async function isolate(running: RunningTopology, service: string): Promise<void> {
  if (!running.network) throw missingCapability('isolate', service);
  await running.network.partition(isolation(service, running.topology.services.map((s) => s.name)));
}
