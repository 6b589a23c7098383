import type { RunningTopology } from '../backend.ts';

/** A graceful restart, as a deploy or `docker compose restart` does: stop, start, wait until it answers. */
export async function restart(running: RunningTopology, service: string): Promise<void> {
  const control = running.service(service);
  await control.stop();
  await control.start();
}
