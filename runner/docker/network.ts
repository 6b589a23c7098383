// The network faults under Docker: the same nftables table as a local run's (network/cut-off.ts),
// written into each container's own network namespace from the host (nsenter --target <pid>),
// with the peers' addresses on the project's network. A container that is stopped or killed and
// started again comes back in a new namespace, without the table: a partition holds for the
// containers as they were when it was made (the lab re-applies it after a start).
import { cutOffRuleset, nftIn } from '../network/cut-off.ts';
import { partitionedNetwork, type NetworkControl } from '../network/partitions.ts';

interface Container {
  pid: number;
  addresses: string[];
}

/** `docker inspect` of one container: its process on the host and its addresses on its networks. */
export function parseInspect(line: string): Container {
  const [pid = '', ...addresses] = line.trim().split(/\s+/);
  return { pid: Number(pid), addresses: addresses.filter(Boolean) };
}

export const inspectFormat = '{{.State.Pid}}{{range .NetworkSettings.Networks}} {{.IPAddress}}{{end}}';

/** Looks a service's running container up (run by the compose backend). */
export type InspectService = (service: string) => Promise<Container>;

export class ComposeNetworkError extends Error {
  override name = 'ComposeNetworkError';
}

export interface ComposeNetwork extends NetworkControl {
  /** Writes the partitions in force into a service's container again (after it started anew). */
  reapply(service: string): Promise<void>;
}

export function composeNetwork(inspect: InspectService): ComposeNetwork {
  const cutOff = new Map<string, readonly string[]>();
  const apply = async (service: string, peers: readonly string[]) => {
    const container = await inspect(service);
    if (!(container.pid > 0)) throw new ComposeNetworkError(`${service} is not running: its network cannot be cut`);
    const addresses = (await Promise.all(peers.map(inspect))).flatMap((peer) => peer.addresses);
    await nftIn([`--target=${container.pid}`, '--net'], cutOffRuleset(addresses));
    cutOff.set(service, peers);
  };
  const control = partitionedNetwork(apply);
  return {
    ...control,
    reapply: async (service) => {
      const peers = cutOff.get(service);
      if (peers && peers.length > 0) await apply(service, peers);
    },
  };
}
