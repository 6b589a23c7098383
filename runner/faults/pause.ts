import type { RunningTopology } from '../backend.ts';
import { missingCapability } from './missing-capability.ts';

/**
 * Freezes the service (SIGSTOP locally, `docker compose pause`): connections are still accepted
 * but nothing answers, which is how a hung store or a node in a long GC pause looks to a client.
 * It stays frozen until `resume`.
 */
export async function pause(running: RunningTopology, service: string): Promise<void> {
  const control = running.service(service);
  if (!control.pause) throw missingCapability('pause', service);
  await control.pause();
}
