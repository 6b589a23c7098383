// A real redis-server (on 127.0.0.1 unless told otherwise) that can be stopped and started again on the same port.
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { findBinary } from '../binaries.ts';
import { spawnManaged } from '../processes.ts';
import { ProcessService } from './process-service.ts';

export interface RedisServerOptions {
  port: number;
  /** The address it binds to and is reached at (127.0.0.1). */
  host?: string;
  /** A network namespace to run in (see ManagedOptions.netns). */
  netns?: string;
  /** Working directory for its RDB/AOF files. */
  dir: string;
  /**
   * redis-server's persistence options as a compose file's command gives them (e.g. ["--appendonly",
   * "yes"], ["--save", "5 1"]); none: no persistence, a restart starts empty.
   */
  persistence?: string[];
  /**
   * A cluster node's bus port (--cluster-port), asked at each launch: on loopback, where every node
   * shares one address, its own port plus 10000 (Redis's default) may be taken or past 65535.
   */
  busPort?: () => Promise<number>;
  /** Receives its output; without it the output is dropped. */
  output?: (chunk: Buffer) => void;
  /** Working directory of the process (the lab runs each service in its own directory of the run). */
  cwd?: string;
  /** The service's name in logs and errors. */
  name?: string;
}

/** Answers when a PING gets a PONG on a fresh connection. */
export function pingRedis(port: number, timeoutMs = 1000, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
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

export class RedisServer extends ProcessService {
  constructor(readonly options: RedisServerOptions) {
    const { port, dir, persistence = [], output, cwd, host = '127.0.0.1', netns, busPort } = options;
    super({
      name: options.name ?? `redis-server on port ${port}`,
      port,
      launch: async () => {
        await mkdir(dir, { recursive: true });
        if (cwd) await mkdir(cwd, { recursive: true });
        // Later options win: persistence as asked, then what the local run needs.
        const args = ['--save', '', '--appendonly', 'no', ...persistence, '--port', String(port), '--bind', host, '--dir', dir];
        args.push('--protected-mode', 'no', '--daemonize', 'no', '--logfile', '');
        if (busPort) args.push('--cluster-port', String(await busPort()));
        return spawnManaged('redis', findBinary('redis-server'), args, { cwd, output, netns });
      },
      ready: () => pingRedis(port, 1000, host),
    });
  }

  get url(): string {
    return `redis://${this.options.host ?? '127.0.0.1'}:${this.options.port}`;
  }
}
