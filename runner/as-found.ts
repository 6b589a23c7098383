// A topology the lab attached to, started by someone else: faults act on it as on the lab's own,
// and at the end the lab puts back what they changed (partitions healed, redeployed or skewed
// nodes back to their own environment, services it stopped, killed or paused running again) and
// leaves it running. Whatever ran before the lab touched it runs afterwards; what was already down
// stays down.
import type { RunningTopology, ServiceControl, ServiceStatus } from './backend.ts';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Wraps an attached topology: down() restores instead of removing, then calls detach (stops
 * following its logs). description names it for the terminal ("the running project …").
 */
export async function leftAsFound(running: RunningTopology, description: string, detach: () => Promise<void>): Promise<RunningTopology> {
  const names = running.topology.services.map((s) => s.name);
  const found = new Map<string, ServiceStatus>();
  for (const name of names) found.set(name, (await running.service(name).status?.()) ?? 'up');
  const touched = new Set<string>();
  const redeployed = new Set<string>();
  let partitioned = false;

  const service = (name: string): ServiceControl => {
    const control = running.service(name);
    const touching =
      <A extends unknown[]>(work: ((...args: A) => Promise<void>) | undefined, changesEnvironment = false) =>
      async (...args: A) => {
        touched.add(name);
        if (changesEnvironment) redeployed.add(name);
        await work!(...args);
      };
    return {
      ...control,
      stop: touching(control.stop),
      ...(control.kill ? { kill: touching(control.kill) } : {}),
      ...(control.pause ? { pause: touching(control.pause) } : {}),
      ...(control.restartWith ? { restartWith: touching(control.restartWith, true) } : {}),
      ...(control.skewClock ? { skewClock: touching(control.skewClock, true) } : {}),
    };
  };

  const network = running.network && {
    partition: async (...args: Parameters<NonNullable<RunningTopology['network']>['partition']>) => {
      partitioned = true;
      await running.network!.partition(...args);
    },
    heal: () => running.network!.heal(),
  };

  const restore = async () => {
    const failures: string[] = [];
    const attempt = async (what: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (err) {
        failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    if (partitioned) await attempt('heal the network', () => running.network!.heal());
    for (const name of redeployed) {
      const control = running.service(name);
      if (control.reset) await attempt(`redeploy ${name} as it was`, () => control.reset!());
    }
    for (const name of touched) {
      if (found.get(name) === 'down') continue;
      const control = running.service(name);
      await attempt(`bring ${name} back`, async () => {
        const now = (await control.status?.()) ?? 'up';
        if (now === 'paused') await control.resume?.();
        if (now === 'down') await control.start();
        if (found.get(name) === 'paused') await control.pause?.();
      });
    }
    if (failures.length > 0) throw new RestoreError(`${description}: could not put back what the scenario changed (${failures.join('; ')})`);
  };

  let downing: Promise<void> | undefined;
  return {
    ...running,
    ...(network ? { network } : {}),
    attached: description,
    service,
    probe: (name, path) => running.probe(name, path),
    down: () =>
      (downing ??= (async () => {
        try {
          await restore();
        } finally {
          await detach();
        }
      })()),
  };
}
