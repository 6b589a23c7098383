// A topology a scenario must leave as it found it: one someone else started (the lab attached to
// it), or the lab's own, shared with the next scenario of the same topology. Faults act on it as
// on any other, and at the end what they changed is put back (partitions healed, redeployed or
// skewed nodes back to their own environment, services stopped, killed or paused running again,
// the balancer's list as it was and a spare node a scale-out started stopped again, and the
// balancer sending to every node again) and the topology left running. Whatever ran
// before runs afterwards; what was already down stays down.
import { serviceControlMethods, type RunningTopology, type ServiceControl, type ServiceStatus } from './backend.ts';
import { untilBalancerReaches } from './balancer-reach.ts';
import { appServices, spareNodes } from './topology.ts';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

export interface AsFoundOptions {
  /** Set for a topology someone else started: names it ("the running project …"); RunningTopology.attached. */
  attached?: string;
  /** Called once it is put back (stops following its logs); nothing by default. */
  detach?: () => Promise<void>;
}

/** What leaves a service otherwise than it was found; of those, what changes its environment. */
const changing = new Set<string>(['stop', 'kill', 'pause', 'restartWith', 'skewClock']);
const changingEnvironment = new Set<string>(['restartWith', 'skewClock']);

/** Wraps a topology so that down() puts back what faults changed instead of removing it. */
export async function leftAsFound(running: RunningTopology, options: AsFoundOptions = {}): Promise<RunningTopology> {
  const description = options.attached ?? `the topology ${running.topology.name}`;
  const names = running.topology.services.map((s) => s.name);
  const found = new Map<string, ServiceStatus>();
  for (const name of names) found.set(name, (await running.service(name).status?.()) ?? 'up');
  const touched = new Set<string>();
  const redeployed = new Set<string>();
  let partitioned = false;

  // Every method of the service, bound to it (a class's methods are not own properties to spread),
  // the ones that change it noted first.
  const service = (name: string): ServiceControl => {
    const control = running.service(name);
    const wrapped: Record<string, unknown> = {};
    for (const method of serviceControlMethods) {
      const work = control[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (!work) continue;
      wrapped[method] = async (...args: unknown[]) => {
        if (changing.has(method)) touched.add(name);
        if (changingEnvironment.has(method)) redeployed.add(name);
        return work.apply(control, args);
      };
    }
    return wrapped as unknown as ServiceControl;
  };

  // The balancer's list as found; a scale-out or scale-in changes it (and starts or stops a node).
  const foundNodes = running.balancer?.nodes();
  let rebalanced = false;
  const balancer = running.balancer && {
    nodes: () => running.balancer!.nodes(),
    setNodes: async (nodes: readonly string[]) => {
      rebalanced = true;
      await running.balancer!.setNodes(nodes);
    },
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
    if (rebalanced) {
      await attempt('list the balancer’s nodes as found', () => running.balancer!.setNodes(foundNodes!));
      for (const spare of spareNodes(running.topology)) {
        if (found.get(spare.name) !== 'down') continue;
        const control = running.service(spare.name);
        await attempt(`stop ${spare.name} again`, async () => {
          if ((await control.status?.()) !== 'down') await control.stop();
        });
      }
    }
    // A node started again is in rotation only once nginx tries it again: found as it was means
    // every node answering through the balancer, not only to its own probe.
    if (touched.size > 0 && failures.length === 0) {
      const nodes = appServices(running.topology).map((s) => s.name).filter((name) => found.get(name) === 'up');
      const { reached } = await untilBalancerReaches(running, nodes, 'lab');
      const missing = nodes.filter((node) => !reached.has(node));
      if (missing.length > 0) failures.push(`the balancer never sent a request to ${missing.join(', ')}`);
    }
    if (failures.length > 0) throw new RestoreError(`${description}: could not put back what the scenario changed (${failures.join('; ')})`);
  };

  let downing: Promise<void> | undefined;
  return {
    ...running,
    ...(network ? { network } : {}),
    ...(balancer ? { balancer } : {}),
    ...(options.attached ? { attached: options.attached } : {}),
    service,
    down: () =>
      (downing ??= (async () => {
        try {
          await restore();
        } finally {
          await options.detach?.();
        }
      })()),
  };
}
