// A topology another lab process keeps up (`lab up` in another terminal), as a RunningTopology of
// this one: every fault, probe and partition is a call to that process's control server, which
// runs it there exactly as it would run its own. Its requests go through its balancer, so its
// terminal shows them.
import { leftAsFound } from '../as-found.ts';
import type { Capability, ProbeAnswer, RunningTopology, ServiceControl, ServiceStatus } from '../backend.ts';
import { UnknownServiceError } from '../backend.ts';
import type { Partition } from '../network/partitions.ts';
import { parseOwner } from '../run-owner.ts';
import type { StartWish } from '../scenario.ts';
import { loadTopology, type Topology } from '../topology.ts';
import type { ControlCall } from './server.ts';
import { liveUpRecord, type UpRecord } from './up-record.ts';

export class ControlError extends Error {
  override name = 'ControlError';
}

/** Calls the other process; faults may take long (a start waits until the service answers). */
async function call(record: UpRecord, body: ControlCall): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(record.control, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw new ControlError(`the lab up of ${record.topology} did not answer (${err instanceof Error ? err.message : String(err)})`);
  }
  const answer = (await response.json()) as { result?: unknown; error?: string };
  if (!response.ok) throw new ControlError(`the lab up of ${record.topology}: ${answer.error ?? response.status}`);
  return answer.result;
}

export function remoteTopology(record: UpRecord): RunningTopology {
  const topology = loadTopology(record.topology);
  const service = (name: string): ServiceControl => {
    const methods = record.methods[name];
    if (!methods) throw new UnknownServiceError(`no service "${name}" in ${topology.name}; it has ${Object.keys(record.methods).join(', ')}`);
    const remote =
      (method: (typeof methods)[number]) =>
      async (...args: unknown[]) =>
        call(record, { op: 'service', service: name, method, args });
    const control: Record<string, unknown> = {};
    for (const method of methods) control[method] = remote(method);
    return {
      ...(control as unknown as ServiceControl),
      start: async () => void (await remote('start')()),
      stop: async () => void (await remote('stop')()),
      ...(methods.includes('status') ? { status: async () => (await remote('status')()) as ServiceStatus } : {}),
    };
  };
  return {
    topology,
    balancerUrl: record.balancerUrl,
    runDir: record.runDir,
    probe: async (name, path) => (await call(record, { op: 'probe', service: name, path })) as ProbeAnswer,
    service,
    ...(record.network
      ? {
          network: {
            partition: async (partition: Partition) => void (await call(record, { op: 'partition', partition })),
            heal: async () => void (await call(record, { op: 'heal' })),
          },
        }
      : {}),
    down: async () => {},
  };
}

/**
 * The topology a `lab up` keeps up, to attach to, when there is one that gives what the scenario
 * needs (a network of its own for partitions); undefined otherwise. With a reason to stay fresh,
 * it is left alone, and notify says so.
 */
export async function attachToUp(topology: Topology, needs: readonly Capability[], wish: StartWish, notify: (line: string) => void): Promise<RunningTopology | undefined> {
  const record = liveUpRecord(topology.name);
  if (!record) return undefined;
  const pid = parseOwner(record.runner)?.pid;
  if (wish.fresh) {
    notify(`the topology ${topology.name} that lab up keeps up (pid ${pid}) is left alone (${wish.fresh}): this run starts its own beside it`);
    return undefined;
  }
  if (needs.includes('network-faults') && !record.network) return undefined;
  return leftAsFound(remoteTopology(record), { attached: `the topology ${topology.name} that lab up keeps up (pid ${pid})` });
}
