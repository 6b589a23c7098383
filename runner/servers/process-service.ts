// The one shape of every service the local backend runs (app nodes, nginx, redis-server,
// PostgreSQL): a managed process launched on demand, ready when its own probe answers, with
// stop, kill -9 and pause (a hung process: port open, nothing answers) as its faults.
import { pollUntil } from '../../lib/time.ts';
import { spawned, type ManagedProcess } from '../processes.ts';
import type { ServiceControl, ServiceStatus } from '../backend.ts';

export interface ProcessServiceOptions {
  name: string;
  port: number;
  /**
   * Prepares whatever the process needs (directories, config files) and spawns it, with these
   * environment variables changed from its own (a redeploy; services that take none ignore them).
   */
  launch(environment: Record<string, string>): Promise<ManagedProcess>;
  /** Resolves once the service answers; called until it does. */
  ready(): Promise<unknown>;
  /** How long a graceful stop may take before SIGKILL. */
  stopGraceMs?: number;
  readyTimeoutMs?: number;
}

export class ProcessService implements Required<Omit<ServiceControl, 'skewClock'>> {
  private process: ManagedProcess | undefined;
  private paused = false;
  private environment: Record<string, string> = {};

  constructor(private readonly setup: ProcessServiceOptions) {}

  get name(): string {
    return this.setup.name;
  }

  get port(): number {
    return this.setup.port;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** The process id while it runs (tests look at it). */
  get pid(): number | undefined {
    return this.running ? this.process?.child.pid : undefined;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.paused = false;
    const managed = await this.setup.launch(this.environment);
    this.process = managed;
    await spawned(managed);
    await pollUntil(this.name, this.setup.ready, {
      timeoutMs: this.setup.readyTimeoutMs ?? 20_000,
      giveUp: () => (managed.running ? undefined : 'exited before it was ready'),
    });
  }

  /** A graceful stop (the process's own stop signal), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    // A paused process would not act on its stop signal until the grace period ran out.
    this.process?.signal('SIGCONT');
    this.paused = false;
    await this.process?.stop(this.setup.stopGraceMs ?? 10_000);
  }

  /** kill -9: no chance to finish requests or write anything. */
  async kill(): Promise<void> {
    this.process?.signal('SIGKILL');
    await this.process?.exited;
  }

  /** A redeploy: stop, then start with these variables changed (they stay for later starts). */
  async restartWith(environment: Record<string, string>): Promise<void> {
    this.environment = { ...this.environment, ...environment };
    await this.stop();
    await this.start();
  }

  /** Back to its own environment (undoes restartWith, and so a skewed clock): stop, start. */
  async reset(): Promise<void> {
    if (Object.keys(this.environment).length === 0) return;
    this.environment = {};
    await this.stop();
    await this.start();
  }

  /** SIGSTOP: the port stays open, connections are accepted by the kernel, nothing answers. */
  async pause(): Promise<void> {
    if (!this.running) return;
    this.process?.signal('SIGSTOP');
    this.paused = true;
  }

  async resume(): Promise<void> {
    this.process?.signal('SIGCONT');
    this.paused = false;
  }

  async status(): Promise<ServiceStatus> {
    if (!this.running) return 'down';
    return this.paused ? 'paused' : 'up';
  }
}
