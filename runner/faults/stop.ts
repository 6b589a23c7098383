import type { RunningTopology } from '../backend.ts';

/** A graceful stop that leaves the service down (a node, Redis, PostgreSQL) until `start`. */
export async function stop(running: RunningTopology, service: string): Promise<void> {
  await running.service(service).stop();
}
