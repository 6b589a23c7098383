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
}

export interface ProbeAnswer {
  status: number;
  servedBy: string | undefined;
  body: unknown;
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
  /** Stops everything; safe to call more than once. */
  down(): Promise<void>;
}

export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}
