// The network faults under Docker: the same nftables table as a local run's (network/cut-off.ts),
// written into each container's own network namespace from the host (nsenter --target <pid>),
// with the peers' addresses on the project's network. A container that is stopped or killed and
// started again comes back in a new namespace, without the table: the backend writes the
// partitions in force into it again once it answers (reapply).
import { cutOffRuleset, nftIn } from '../network/cut-off.ts';
import { partitionedNetwork, type NetworkControl } from '../network/partitions.ts';

export interface Container {
  /** Its main process on the host (0 when it is not running). */
  pid: number;
  /** Its addresses on the project's networks. */
  addresses: string[];
}

/** What `docker inspect --format inspectFormat` prints for one container, one line each. */
export const inspectFormat = '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Pid}}{{range .NetworkSettings.Networks}} {{.IPAddress}}{{end}}';

/** The project's containers by service, from `docker inspect --format inspectFormat` of all of them. */
export function parseInspect(output: string): Map<string, Container> {
  const containers = new Map<string, Container>();
  for (const line of output.split('\n').filter((l) => l.trim())) {
    const [service = '', pid = '', ...addresses] = line.trim().split(/\s+/);
    containers.set(service, { pid: Number(pid), addresses: addresses.filter(Boolean) });
  }
  return containers;
}

/** Looks every container of the project up at once (run by the compose backend). */
export type InspectProject = () => Promise<Map<string, Container>>;

export class ComposeNetworkError extends Error {
  override name = 'ComposeNetworkError';
}

export interface ComposeNetwork extends NetworkControl {
  /** Writes the partitions in force into a service's container again (after it started anew). */
  reapply(service: string): Promise<void>;
}

export function composeNetwork(inspectProject: InspectProject): ComposeNetwork {
  const cutOff = new Map<string, readonly string[]>();
  // One look at the project per change: every service's rules are written from the same snapshot.
  let snapshot: Promise<Map<string, Container>> | undefined;
  const apply = async (service: string, peers: readonly string[]) => {
    const containers = await (snapshot ??= inspectProject());
    const container = containers.get(service);
    if (!container || !(container.pid > 0)) throw new ComposeNetworkError(`${service} is not running: its network cannot be cut`);
    const addresses = peers.flatMap((peer) => containers.get(peer)?.addresses ?? []);
    await nftIn([`--target=${container.pid}`, '--net'], cutOffRuleset(addresses));
    cutOff.set(service, peers);
  };
  const control = partitionedNetwork(apply);
  const once = async (change: () => Promise<void>) => {
    snapshot = undefined;
    try {
      await change();
    } finally {
      snapshot = undefined;
    }
  };
  return {
    partition: (partition) => once(() => control.partition(partition)),
    heal: () => once(() => control.heal()),
    reapply: (service) =>
      once(async () => {
        const peers = cutOff.get(service);
        if (peers && peers.length > 0) await apply(service, peers);
      }),
  };
}
