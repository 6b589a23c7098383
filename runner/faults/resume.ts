import type { RunningTopology } from '../backend.ts';
import { missingCapability } from './missing-capability.ts';

/** Lets a paused service run again; what it was doing when frozen carries on. */
export async function resume(running: RunningTopology, service: string): Promise<void> {
  const control = running.service(service);
  if (!control.resume) throw missingCapability('resume', service);
  await control.resume();
}
