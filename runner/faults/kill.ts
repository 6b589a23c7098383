import type { RunningTopology } from '../backend.ts';
import { missingCapability } from './missing-capability.ts';

/** kill -9: the process gets no chance to finish requests or write anything. It stays down until `start`. */
export async function kill(running: RunningTopology, service: string): Promise<void> {
  const control = running.service(service);
  if (!control.kill) throw missingCapability('kill', service);
  await control.kill();
}
