// A service that does one job and exits (compose's `condition: service_completed_successfully`),
// such as making the run's TLS certificate: start runs it to completion, and fails with its
// output when it exits with anything but 0. It has nothing to stop.
import type { ServiceControl, ServiceStatus } from '../backend.ts';
import { spawnManaged } from '../processes.ts';

export interface OneShotOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** Variables besides PATH (the compose service's environment); none: the runner's own. */
  environment?: Record<string, string>;
  output?: (chunk: Buffer) => void;
  /** Makes whatever the job writes into (directories). */
  prepare?(): Promise<void>;
}

export class OneShotService implements ServiceControl {
  constructor(private readonly setup: OneShotOptions) {}

  get name(): string {
    return this.setup.name;
  }

  async start(): Promise<void> {
    const { name, command, args, cwd, environment, output, prepare } = this.setup;
    await prepare?.();
    const said: Buffer[] = [];
    const managed = spawnManaged(name, command, args, {
      cwd,
      ...(environment ? { env: { PATH: process.env.PATH ?? '', ...environment } } : {}),
      output: (chunk) => {
        said.push(chunk);
        output?.(chunk);
      },
    });
    const code = await managed.exited;
    if (code !== 0) throw new Error(`${name}: ${command} exited with ${code ?? 'a signal'}: ${Buffer.concat(said).toString().trim().slice(-500)}`);
  }

  async stop(): Promise<void> {}

  /** A job that ran to completion: nothing of it runs any more. */
  async status(): Promise<ServiceStatus> {
    return 'down';
  }
}
