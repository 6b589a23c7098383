import type { RunningTopology } from '../backend.ts';

/** A graceful stop that leaves the service down (a node, Redis, PostgreSQL) until startService. */
export async function stopService(running: RunningTopology, service: string): Promise<void> {
  await running.service(service).stop();
}
