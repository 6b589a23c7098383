import type { RunningTopology } from '../backend.ts';

/** kill -9: the process gets no chance to finish requests or write anything. */
export async function killNode(running: RunningTopology, service: string): Promise<void> {
  await running.service(service).kill();
}
