import type { LogTap } from './logs.ts';
import type { NetworkControl } from './network/partitions.ts';
import type { Topology } from './topology.ts';

/**
 * What faults can do to one service of a running topology, whichever backend runs it. start and
 * stop every backend has; the others are capabilities a backend may lack (a fault that needs a
 * missing one fails with a clear error instead of doing something else).
 */
export interface ServiceControl {
  /** Starts it (again) and resolves once it answers. */
  start(): Promise<void>;
  /** Graceful stop: SIGTERM (SIGINT for PostgreSQL), SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** kill -9: no chance to finish anything. */
  kill?(): Promise<void>;
  /** Freezes it: its port stays open but nothing answers (a hung process, a GC pause, a full disk). */
  pause?(): Promise<void>;
  /** Undoes pause. */
  resume?(): Promise<void>;
  /** A redeploy with a changed configuration: stop, then start with these variables changed. */
  restartWith?(environment: Record<string, string>): Promise<void>;
  /** Starts it again with its clock this many seconds ahead (negative: behind); 0 puts it right. */
  skewClock?(seconds: number): Promise<void>;
  /** Starts it again as its topology describes it, undoing restartWith and skewClock (nothing when neither ran). */
  reset?(): Promise<void>;
  /** Whether it runs now: up, down (stopped, killed, exited) or paused. */
  status?(): Promise<ServiceStatus>;
}

export type ServiceStatus = 'up' | 'down' | 'paused';

/** Every method a ServiceControl may have, for what passes them on (as-found.ts, control/). */
export const serviceControlMethods = ['start', 'stop', 'kill', 'pause', 'resume', 'restartWith', 'skewClock', 'reset', 'status'] as const;
export type ServiceControlMethod = (typeof serviceControlMethods)[number];

export interface ProbeAnswer {
  status: number;
  servedBy: string | undefined;
  body: unknown;
}

/** The balancer's list of nodes, changed while it runs (scale-out, scale-in). */
export interface BalancerControl {
  /** The nodes it sends requests to now, in order. */
  nodes(): readonly string[];
  /** Lists exactly these nodes and reloads gracefully: requests in flight finish where they are. */
  setNodes(nodes: readonly string[]): Promise<void>;
}

/** A topology that is up, whichever backend runs it. */
export interface RunningTopology {
  readonly topology: Topology;
  /** The nginx balancer, as clients reach it. */
  readonly balancerUrl: string;
  /** Where this run keeps its logs (and, locally, its data). */
  readonly runDir: string;
  /** A GET straight to one app node, bypassing the balancer and any cookie (e.g. /debug/memory). */
  probe(service: string, path: string): Promise<ProbeAnswer>;
  service(name: string): ServiceControl;
  /**
   * The service at an address as the balancer names it (X-Upstream: "127.0.0.1:41873"), so that
   * an app that says nothing of itself can be told apart by node; where the backend knows it.
   */
  nodeAt?(address: string): string | undefined;
  /** The balancer's node list, where the backend can change it while it runs (scale-out, scale-in). */
  readonly balancer?: BalancerControl;
  /** Partitions between services, when the run's network allows them (see Capability). */
  readonly network?: NetworkControl;
  /** Every service's log lines as they come (nginx's access log among them). */
  readonly logs?: LogTap;
  /**
   * Images that stand in for the official ones the topology names (built from Debian packages
   * where no registry answers); every report of a run on them says so. Empty when there are none.
   */
  readonly standInImages?: readonly string[];
  /**
   * Set when the lab attached to a topology someone else started (`docker compose up`, `lab up`
   * in another terminal): says which. down() then puts back what faults changed and leaves it running.
   */
  readonly attached?: string;
  /** Stops everything (or, attached, puts it back as found); safe to call more than once. */
  down(): Promise<void>;
}

/**
 * What a scenario may need that not every backend gives: client-addresses, a device sending from
 * a source address of its own (nginx's ip_hash tells devices apart by it); network-faults,
 * partitions between services; clock-skew, a node whose clock is wrong.
 */
export type Capability = 'client-addresses' | 'network-faults' | 'clock-skew';

/** The capabilities a backend lacks, each with the reason, which a skipped scenario reports. */
export type MissingCapabilities = Partial<Record<Capability, string>>;

export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}
