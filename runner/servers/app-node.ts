// A shop node as a process of its own: app/server.ts, the same entry point as npm start and the
// Docker image, compiled once (app-build.ts), ready when /healthz answers 200 (its store answers too).
import { mkdir } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { ClockSkewError, faketimeLibrary, skewedClockEnvironment } from '../clock-skew.ts';
import { runCertificate } from '../http-client.ts';
import { spawnManaged } from '../processes.ts';
import { appEntryPoint } from './app-build.ts';
import { ProcessService } from './process-service.ts';


export interface AppNodeOptions {
  name: string;
  port: number;
  /** The address it is reached at (it listens on every address it has; 127.0.0.1). */
  host?: string;
  /** A network namespace to run in (see ManagedOptions.netns). */
  netns?: string;
  /** The node's variables (PORT included); PATH is added. */
  environment: Record<string, string>;
  /** Its working directory (the lab gives each service its own, in the run directory). */
  cwd: string;
  /** Node.js options before the entry point (a profile's --cpu-prof). */
  nodeArgs?: readonly string[];
  output?: (chunk: Buffer) => void;
}

/** Resolves when url answers (with 200 when wantOk), rejects otherwise. */
const readinessClient = new Agent({ connect: runCertificate });

export async function httpAnswers(url: string, wantOk: boolean): Promise<void> {
  const response = await request(url, { headersTimeout: 1000, bodyTimeout: 1000, dispatcher: readinessClient });
  await response.body.dump();
  if (wantOk && response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
}

export class AppNode extends ProcessService {
  constructor(options: AppNodeOptions) {
    const { name, port, environment, cwd, output, nodeArgs = [], host = '127.0.0.1', netns } = options;
    super({
      name,
      port,
      launch: async (changed) => {
        await mkdir(cwd, { recursive: true });
        // --expose-gc lets /debug/memory measure a settled heap.
        return spawnManaged(name, process.execPath, [...nodeArgs, '--expose-gc', await appEntryPoint()], {
          cwd,
          env: { PATH: process.env.PATH ?? '', ...environment, ...changed },
          output,
          netns,
        });
      },
      ready: () => httpAnswers(`http://${host}:${port}/healthz`, true),
    });
    this.host = host;
  }

  private readonly host: string;

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /**
   * Starts the node again with its clock off by seconds (libfaketime): only a node's clock is
   * skewed, since the lab's question is what nodes compute from theirs.
   */
  async skewClock(seconds: number): Promise<void> {
    const library = faketimeLibrary();
    if (!library) throw new ClockSkewError('libfaketime is missing (npm run setup installs it)');
    await this.restartWith(skewedClockEnvironment(library, seconds));
  }
}
