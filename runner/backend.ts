import type { Topology } from './topology.ts';

/** What a fault can do to one service of a running topology. */
export interface ServiceControl {
  /** Starts it (again) and resolves once it answers. */
  start(): Promise<void>;
  /** Graceful stop: SIGTERM (SIGINT for PostgreSQL), SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** kill -9: no chance to finish anything. */
  kill(): Promise<void>;
}

/** A topology that is up, whichever backend runs it. */
export interface RunningTopology {
  readonly topology: Topology;
  /** The nginx balancer, as clients reach it. */
  readonly balancerUrl: string;
  /** Where this run keeps its logs (and, locally, its data). */
  readonly runDir: string;
  /** An app node's own URL, bypassing the balancer (for probes such as /debug/memory). */
  nodeUrl(service: string): string;
  service(name: string): ServiceControl;
  /** Stops everything; safe to call more than once. */
  down(): Promise<void>;
}

export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}
