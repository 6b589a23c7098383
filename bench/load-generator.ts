// The benchmark's side of its load generator (load-process.ts): started once, sent one run at a
// time, stopped with the benchmark (it also ends on its own when the benchmark's process does).
import { join } from 'node:path';
import { spawnManaged, type ManagedProcess } from '../runner/processes.ts';
import { projectRoot } from '../runner/topology.ts';

export interface LoadRun {
  url: string;
  path: 'read' | 'write';
  /** Request headers of the sessions to use (cookie or authorization), in turn. */
  identities: Record<string, string>[];
  /** The write path adds `${skuPrefix}-0` … `-9`. */
  skuPrefix: string;
  connections: number;
  durationSeconds: number;
  maxRequests: number;
}

export interface LoadOutcome {
  requests: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

type Reply = { ready: true } | { id: number; outcome: LoadOutcome } | { id: number; error: string };

export class LoadGenerator {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(outcome: LoadOutcome): void; reject(err: Error): void }>();

  private constructor(private readonly managed: ManagedProcess) {
    managed.child.on('message', (reply: Reply) => {
      if ('ready' in reply) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(`load generator: ${reply.error}`));
      else waiting?.resolve(reply.outcome);
    });
    void managed.exited.then((code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the load generator ended (exit code ${code}) during a run`));
      this.pending.clear();
    });
  }

  static async start(): Promise<LoadGenerator> {
    const managed = spawnManaged('load generator', process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'load-process.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = new Promise<void>((resolve, reject) => {
      managed.child.once('message', () => resolve());
      void managed.exited.then((code) => reject(new Error(`the load generator ended (exit code ${code}) before it was ready`)));
    });
    await ready;
    return new LoadGenerator(managed);
  }

  /** Its process, for the CPU it spends. */
  get pid(): number {
    return this.managed.child.pid!;
  }

  run(run: LoadRun): Promise<LoadOutcome> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.managed.child.send({ id, run });
    });
  }

  stop(): Promise<void> {
    return this.managed.stop();
  }
}
