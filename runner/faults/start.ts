import type { RunningTopology } from '../backend.ts';

/** Starts a stopped or killed service and waits until it answers. */
export async function start(running: RunningTopology, service: string): Promise<void> {
  await running.service(service).start();
}
