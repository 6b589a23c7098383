import type { RunningTopology } from '../backend.ts';
import { missingCapability } from './missing-capability.ts';

/** Ends every partition and isolation: each service reaches every other one again. */
export async function heal(running: RunningTopology, _target = ''): Promise<void> {
  if (!running.network) throw missingCapability('heal', 'the network');
  await running.network.heal();
}
