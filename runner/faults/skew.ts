import type { RunningTopology } from '../backend.ts';
import { parseSkewSeconds } from '../clock-skew.ts';
import { missingCapability } from './missing-capability.ts';

/**
 * `skew server_2 +600`: the node starts again with its wall clock this many seconds ahead (or
 * behind, with -); `skew server_2 0` puts it right. Only app nodes: what the lab asks is which
 * expiries a node computes from its own clock.
 */
export async function skew(running: RunningTopology, target: string): Promise<void> {
  const [service = '', seconds = '', ...rest] = target.trim().split(/\s+/);
  if (rest.length > 0 || seconds === '') throw new Error(`skew takes a service and seconds (e.g. "server_2 +600"), not "${target}"`);
  const offset = parseSkewSeconds(seconds);
  const control = running.service(service);
  if (!control.skewClock) throw missingCapability('skew the clock of', service);
  await control.skewClock(offset);
}
