// The compose backend: the same topology file run by `docker compose`, driven through the same
// RunningTopology as the local backend, so that scenarios, checkers and reports are the same.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../../lib/time.ts';
import type { ProbeAnswer, RunningTopology, ServiceControl } from '../backend.ts';
import { UnknownServiceError } from '../backend.ts';
import { newRunDir } from '../run-dir.ts';
import { appServices, balancerScheme, type Topology } from '../topology.ts';
import { dockerCommands, type CommandRunner } from './commands.ts';

export interface ComposeOptions {
  /** Runs the docker commands; a fake in tests. */
  commands?: CommandRunner;
  /** Where `docker compose logs -f` goes live; undefined keeps it in the run's log file only. */
  terminal?: NodeJS.WriteStream;
  /** How long a started service may take to become healthy. */
  healthTimeoutMs?: number;
}

export class ComposeUnavailableError extends Error {
  override name = 'ComposeUnavailableError';
}

interface PsEntry {
  Service: string;
  State: string;
  Health: string;
}

/** `docker compose ps --format json` prints one JSON object per line (older versions: one array). */
export function parsePs(stdout: string): PsEntry[] {
  const text = stdout.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return JSON.parse(text) as PsEntry[];
  return text.split('\n').map((line) => JSON.parse(line) as PsEntry);
}

/** The script `docker compose exec` runs inside a node's container to probe it (the image has no curl). */
export function probeScript(port: number, path: string): string {
  return [
    `fetch(${JSON.stringify(`http://127.0.0.1:${port}${path}`)})`,
    '.then(async (r) => console.log(JSON.stringify({ status: r.status, servedBy: r.headers.get("x-served-by"), body: await r.json() })))',
    '.catch((e) => { console.error(String(e)); process.exit(1); })',
  ].join('');
}

/** Fails with a clear message when docker or its compose plugin is missing. */
export async function checkCompose(commands: CommandRunner = dockerCommands): Promise<void> {
  try {
    await commands.run('docker', ['compose', 'version']);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new ComposeUnavailableError(`the compose backend needs Docker with its compose plugin; \`docker compose version\` failed (${reason})`);
  }
}

export async function startComposeTopology(topology: Topology, options: ComposeOptions = {}): Promise<RunningTopology> {
  const commands = options.commands ?? dockerCommands;
  const project = `session-lab-${topology.name}`;
  const compose = (...args: string[]) => commands.run('docker', ['compose', '-p', project, '-f', topology.file, ...args]);

  await checkCompose(commands);
  const runDir = await newRunDir(topology.name, 'compose');
  const logFile = createWriteStream(join(runDir, 'logs', 'compose.log'));
  let logs: { stop(): Promise<void> } | undefined;

  let downing: Promise<void> | undefined;
  const down = () => {
    // Also after a failed `up`: whatever did start goes, with its volumes.
    downing ??= (async () => {
      await logs?.stop();
      await compose('down', '-v', '--remove-orphans');
      await new Promise<void>((resolve) => logFile.end(resolve));
    })();
    return downing;
  };

  const names = topology.services.map((s) => s.name);
  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  let balancerUrl: string;
  try {
    await compose('up', '-d', '--build', '--wait');
    const published = (await compose('port', nginx.name, String(nginx.containerPort))).trim();
    const hostPort = published.slice(published.lastIndexOf(':') + 1);
    if (!/^\d+$/.test(hostPort)) throw new Error(`docker compose port ${nginx.name} ${nginx.containerPort} said "${published}"`);
    balancerUrl = `${balancerScheme(topology)}://127.0.0.1:${hostPort}`;
    const noColor = !options.terminal?.isTTY || process.env.NO_COLOR ? ['--no-color'] : [];
    logs = commands.follow('docker', ['compose', '-p', project, '-f', topology.file, 'logs', '-f', ...noColor], (chunk) => {
      logFile.write(chunk);
      options.terminal?.write(chunk);
    });
  } catch (err) {
    await down().catch(() => {});
    throw err;
  }

  const healthTimeoutMs = options.healthTimeoutMs ?? 60_000;
  const waitHealthy = (name: string) =>
    pollUntil(
      name,
      async () => {
        const entry = parsePs(await compose('ps', '--format', 'json', name)).find((e) => e.Service === name);
        // A service without a healthcheck (nginx) is ready when it runs.
        if (entry && (entry.Health === 'healthy' || (entry.Health === '' && entry.State === 'running'))) return;
        throw new Error(entry ? `${entry.State} ${entry.Health}` : 'not listed');
      },
      { timeoutMs: healthTimeoutMs, firstDelayMs: 100, maxDelayMs: 1000 },
    );

  const service = (name: string): ServiceControl => {
    if (!names.includes(name)) throw new UnknownServiceError(`no service "${name}" in ${topology.name}; it has ${names.join(', ')}`);
    return {
      start: async () => {
        await compose('start', name);
        await waitHealthy(name);
      },
      stop: async () => {
        await compose('stop', name);
      },
      kill: async () => {
        await compose('kill', '-s', 'SIGKILL', name);
      },
      pause: async () => {
        await compose('pause', name);
      },
      resume: async () => {
        await compose('unpause', name);
      },
    };
  };

  const probe = async (name: string, path: string): Promise<ProbeAnswer> => {
    const node = appServices(topology).find((s) => s.name === name);
    if (!node) throw new UnknownServiceError(`no app node "${name}" in ${topology.name}`);
    return JSON.parse(await compose('exec', '-T', name, 'node', '-e', probeScript(node.containerPort, path))) as ProbeAnswer;
  };

  return { topology, balancerUrl, runDir, probe, service, down };
}
