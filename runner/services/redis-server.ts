import { connect } from 'node:net';
import { findBinary } from '../binaries.ts';
import { spawnManaged, spawned, type ManagedProcess } from '../processes.ts';
import { waitUntilReady } from './wait.ts';

export interface RedisServerOptions {
  port: number;
  /** Working directory for its RDB/AOF files. */
  dir: string;
  /** Append-only file persistence; without it a restart starts empty. */
  appendOnly?: boolean;
  /** Receives its output; without it the output is dropped. */
  output?: (chunk: Buffer) => void;
  /** Working directory of the process (the lab runs each service in its own directory of the run). */
  cwd?: string;
}

/** Answers when a PING gets a PONG on a fresh connection. */
export function pingRedis(port: number, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('PING timed out')));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer to PING: ${data.toString().trim()}`));
    });
    socket.once('error', reject);
  });
}

/** A real redis-server on 127.0.0.1 that can be stopped and started again on the same port. */
export class RedisServer {
  private process: ManagedProcess | undefined;

  constructor(readonly options: RedisServerOptions) {}

  get url(): string {
    return `redis://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { port, dir, appendOnly = false, output } = this.options;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', appendOnly ? 'yes' : 'no'];
    args.push('--protected-mode', 'no', '--daemonize', 'no', '--logfile', '');
    const managed = spawnManaged('redis', findBinary('redis-server'), args, { cwd: this.options.cwd, output });
    this.process = managed;
    await spawned(managed);
    await waitUntilReady(`redis-server on port ${port}`, () => pingRedis(port), managed);
  }

  /** A clean shutdown (SIGTERM). */
  async stop(): Promise<void> {
    await this.process?.stop();
  }

  /** SIGSTOP: the port stays open but nothing answers, like a hung server. */
  pause(): void {
    this.process?.signal('SIGSTOP');
  }

  resume(): void {
    this.process?.signal('SIGCONT');
  }

  /** kill -9: no chance to write anything. */
  async kill(): Promise<void> {
    this.process?.signal('SIGKILL');
    await this.process?.exited;
  }
}
