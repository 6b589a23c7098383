// The compose backend: the same topology file run by `docker compose`, driven through the same
// RunningTopology as the local backend, so that scenarios, checkers and reports are the same.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { pollUntil } from '../../lib/time.ts';
import type { BalancerControl, MissingCapabilities, ProbeAnswer, RunningTopology, ServiceControl } from '../backend.ts';
import { UnknownServiceError } from '../backend.ts';
import { LogListeners } from '../logs.ts';
import { leftAsFound } from '../as-found.ts';
import { atTeardown } from '../processes.ts';
import { ClockSkewError, faketimeLibrary, skewedClockEnvironment } from '../clock-skew.ts';
import { networkFaultsUnavailable } from '../network/cut-off.ts';
import { composeNetwork, inspectFormat, parseInspect, type Container } from './network.ts';
import { getOnce } from '../http-client.ts';
import { newRunDir } from '../run-dir.ts';
import { balancerScheme, oneShotKinds, scaleOutProfile, type Topology } from '../topology.ts';
import { listedNodes, upstreamServersFor } from '../balancer.ts';
import { renderNginxTemplate } from '../nginx-template.ts';
import { dockerCommands, type CommandRunner } from './commands.ts';
import { projectLeftovers, projectState, runningUserProject, runOverride, runProjectName } from './projects.ts';

export interface ComposeOptions {
  /** Why the run needs a project of its own even when the user's project for the topology is running. */
  fresh?: string;
  /** Told what the backend did beside the run (the user's project left alone, and why). */
  notify?: Notify;
  /** Runs the docker commands; a fake in tests. */
  commands?: CommandRunner;
  /** Where `docker compose logs -f` goes live; undefined keeps it in the run's log file only. */
  terminal?: NodeJS.WriteStream;
  /** How long a started service may take to answer. */
  readyTimeoutMs?: number;
}

/** What this backend cannot give a scenario on this machine, and why. */
export function composeLacks(): MissingCapabilities {
  const lacks: MissingCapabilities = {
    'client-addresses': "every request reaches nginx's container from Docker's bridge gateway, so all devices are one client address",
  };
  // The rules go into the containers' namespaces from the host, with the host's nsenter and nft.
  const network = networkFaultsUnavailable();
  if (network) lacks['network-faults'] = network;
  // The host's libfaketime is mounted into the node's container.
  if (!faketimeLibrary()) lacks['clock-skew'] = 'libfaketime is missing on the host (npm run setup installs it)';
  return lacks;
}

/** Where a skewed node's container finds the host's libfaketime (mounted read-only). */
const containerFaketime = '/opt/session-lab/libfaketime.so.1';

/** The label setup:docker puts on an image it built from Debian packages in place of an official one. */
export const standInLabel = 'org.session-lab.stand-in';

export class ComposeUnavailableError extends Error {
  override name = 'ComposeUnavailableError';
}

interface PsEntry {
  Service: string;
  State: string;
  Health: string;
}

/**
 * One line of `docker compose logs -f` (`server_1-1  | listening…`, colours stripped) as its
 * service and the line it wrote; undefined for a line of compose's own.
 */
export function parseComposeLogLine(text: string): { service: string; line: string } | undefined {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const match = /^(.+?)-\d+\s+\| ?(.*)$/.exec(plain);
  return match ? { service: match[1]!, line: match[2]! } : undefined;
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

/** Fails with a clear message when docker or its compose plugin is missing, or no daemon answers. */
export async function checkCompose(commands: CommandRunner = dockerCommands): Promise<void> {
  const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];
  try {
    await commands.run('docker', ['compose', 'version']);
  } catch (err) {
    throw new ComposeUnavailableError(`the compose backend needs Docker with its compose plugin (npm run setup:docker installs them); \`docker compose version\` failed (${firstLine(err)})`);
  }
  try {
    await commands.run('docker', ['info', '--format', '{{.ServerVersion}}']);
  } catch (err) {
    throw new ComposeUnavailableError(`no Docker daemon answers (npm run setup:docker starts one); \`docker info\` failed (${firstLine(err)})`);
  }
}

/** Says what the compose backend did beside the run itself. */
export type Notify = (line: string) => void;

/**
 * The topology under docker compose. When the project a person started for it (`docker compose -f
 * compose/<topology>.yml up`) is running, the run attaches to it: its requests go through that
 * project's balancer and show in its logs, and at the end what its faults changed is put back and
 * the project left running. Otherwise (or with fresh) the run starts a project of its own beside
 * it, labelled as the run's, on a free port, and removes it with its volumes at the end.
 */
export async function startComposeTopology(topology: Topology, options: ComposeOptions = {}): Promise<RunningTopology> {
  const commands = options.commands ?? dockerCommands;
  await checkCompose(commands);
  const user = await runningUserProject(commands, topology);
  if (user && !options.fresh) return attachProject(topology, user, commands, options);
  if (user) options.notify?.(`the running project ${user} is left alone (${options.fresh}): this run starts a project of its own beside it`);
  return startOwnProject(topology, commands, options);
}

async function startOwnProject(topology: Topology, commands: CommandRunner, options: ComposeOptions): Promise<RunningTopology> {
  const runDir = await newRunDir(topology.name, 'compose');
  const runId = randomBytes(6).toString('hex');
  const project = runProjectName(topology, runId);
  const labFile = join(runDir, 'lab.override.yml');
  await writeFile(labFile, runOverride(topology, runId));
  const files = [topology.file, labFile];
  const compose = composeCommand(commands, project, files);

  // `down` must also run when a signal comes during `up`: the teardown stops the `up` in flight
  // (its whole process group) and waits for it to exit before removing what it had made. Creations
  // the stopped `up` had asked for may still land in the daemon after that, so `down` is repeated
  // until the engine lists nothing of the project.
  const starting = new AbortController();
  let up: Promise<unknown> | undefined;
  let opened: OpenedProject | undefined;
  let downing: Promise<void> | undefined;
  const down = () => {
    downing ??= (async () => {
      starting.abort();
      await up?.catch(() => {});
      await opened?.close();
      // With the spare nodes' profile, or `down` would leave a node that scale-out started.
      const removeAll = ['--profile', scaleOutProfile, 'down', '-v', '--remove-orphans', '--timeout', '2'];
      await compose(removeAll);
      for (const deadline = Date.now() + 30_000; (await projectLeftovers(commands, project)).length > 0 && Date.now() < deadline; ) {
        await sleep(250);
        await compose(removeAll);
      }
      forget();
    })();
    return downing;
  };
  const forget = atTeardown(down);
  try {
    up = compose(['up', '-d', '--build', '--wait'], starting.signal);
    await up;
    opened = await openProject(topology, project, files, runDir, commands, options);
    // `up --wait` waits for a healthcheck where the image has one (the shop's); an app that is not
    // the shop is ready when its own ready path answers.
    await Promise.all(topology.services.filter((s) => s.app && !s.spare).map((s) => opened!.waitReady(s.name)));
  } catch (err) {
    // Also after a failed or interrupted `up`: whatever did start goes, with its volumes.
    await down().catch(() => {});
    throw err;
  }
  return { ...opened.running, down };
}

async function attachProject(topology: Topology, project: string, commands: CommandRunner, options: ComposeOptions): Promise<RunningTopology> {
  const runDir = await newRunDir(topology.name, 'compose-attached');
  const opened = await openProject(topology, project, [topology.file], runDir, commands, { ...options, onlyNewLogs: true });
  // Ctrl-C in the middle of the scenario puts the project back too.
  let forget = () => {};
  try {
    const state = await projectState(commands, project);
    // What `docker compose up` starts: not the one-shot jobs, nor a spare node held back for scale-out.
    const started = topology.services.filter((s) => !oneShotKinds.has(s.kind) && !s.spare);
    const notUp = started.filter((s) => state.services.get(s.name) !== 'running').map((s) => `${s.name} is ${state.services.get(s.name) ?? 'missing'}`);
    if (notUp.length > 0) {
      throw new ComposeUnavailableError(
        `the running project ${project} is not all up (${notUp.join(', ')}): start it (docker compose -f ${relative(process.cwd(), topology.file)} up), or run with --fresh for a copy of the lab's own beside it`,
      );
    }
    await Promise.all(started.map((s) => opened.waitReady(s.name)));
    const attached = await leftAsFound(opened.running, {
      attached: `the running project ${project} (started outside the lab)`,
      detach: async () => {
        forget();
        await opened.close();
      },
    });
    forget = atTeardown(() => attached.down());
    return attached;
  } catch (err) {
    await opened.close();
    throw err;
  }
}

interface OpenedProject {
  running: RunningTopology;
  waitReady(name: string): Promise<void>;
  /** Stops following its logs; leaves the project as it is. */
  close(): Promise<void>;
}

function composeCommand(commands: CommandRunner, project: string, files: readonly string[]) {
  return (args: string[], signal?: AbortSignal) => commands.run('docker', ['compose', '-p', project, ...files.flatMap((f) => ['-f', f]), ...args], signal ? { signal } : {});
}

/**
 * A project that is up, as a RunningTopology: its balancer, its logs followed, faults, probes and
 * redeploys through docker compose. files grows by the redeploys' override file.
 */
async function openProject(
  topology: Topology,
  project: string,
  files: string[],
  runDir: string,
  commands: CommandRunner,
  options: ComposeOptions & { onlyNewLogs?: boolean },
): Promise<OpenedProject> {
  const compose = composeCommand(commands, project, files);
  const names = topology.services.map((s) => s.name);
  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  const logLines = new LogListeners();
  const logFile = createWriteStream(join(runDir, 'logs', 'compose.log'));
  const published = (await compose(['port', nginx.name, String(nginx.containerPort)])).trim();
  const hostPort = published.slice(published.lastIndexOf(':') + 1);
  if (!/^\d+$/.test(hostPort)) throw new Error(`docker compose port ${nginx.name} ${nginx.containerPort} said "${published}"`);
  const balancerUrl = `${balancerScheme(topology)}://127.0.0.1:${hostPort}`;
  const standInImages = await standIns(commands, (await compose(['ps', '-a', '-q'])).split('\n').filter(Boolean));
  const noColor = !options.terminal?.isTTY || process.env.NO_COLOR ? ['--no-color'] : [];
  // Attached, the project's earlier lines are not the run's.
  const since = options.onlyNewLogs ? ['--since', new Date().toISOString()] : [];
  let partial = '';
  const logs = commands.follow('docker', ['compose', '-p', project, ...files.flatMap((f) => ['-f', f]), 'logs', '-f', ...since, ...noColor], (chunk) => {
    logFile.write(chunk);
    options.terminal?.write(chunk);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseComposeLogLine(line);
      if (parsed) logLines.emit(parsed.service, parsed.line);
    }
  });
  const close = async () => {
    await logs.stop();
    await new Promise<void>((resolve) => logFile.end(resolve));
  };
  // Each container's address on the project's network, by service: how the balancer names the
  // node it sent a request to (X-Upstream). Looked up again whenever a container (re)starts.
  let addresses = new Map<string, Container>();
  const refreshAddresses = async () => {
    addresses = await inspectProject();
  };
  const inspectProject = async () => {
    const ids = (await compose(['ps', '-a', '-q'])).split('\n').filter(Boolean);
    return parseInspect(ids.length > 0 ? await commands.run('docker', ['inspect', '--format', inspectFormat, ...ids]) : '');
  };
  const probe = async (name: string, path: string): Promise<ProbeAnswer> => {
    // A spare node too, once scale-out started it.
    const node = topology.services.find((s) => s.name === name && s.kind === 'app');
    if (!node) throw new UnknownServiceError(`no app node "${name}" in ${topology.name}`);
    if (node.app) return probeForeign(name, node.containerPort, path);
    return JSON.parse(await compose(['exec', '-T', name, 'node', '-e', probeScript(node.containerPort, path)])) as ProbeAnswer;
  };
  // An app that is not the shop may have no Node (nor curl) in its image: it is asked from the
  // host, at its container's address (Linux routes the bridge's addresses to the host).
  const probeForeign = async (name: string, port: number, path: string): Promise<ProbeAnswer> => {
    if (!addresses.get(name)?.addresses[0]) await refreshAddresses();
    const address = addresses.get(name)?.addresses[0];
    if (!address) throw new Error(`${name} has no address on the project's network`);
    return getOnce(`http://${address}:${port}`, path, 5_000);
  };

  // Ready as the local backend means it: the service itself answers (a node's /healthz, the
  // compose healthcheck's own command run at once), not Docker's health status, which is only
  // checked every `interval` and would make a fault operation last seconds longer than the fault.
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const answers = async (name: string) => {
    const spec = topology.services.find((s) => s.name === name)!;
    if (spec.kind === 'app') {
      const path = spec.app?.ready ?? '/healthz';
      const answer = await probe(name, path);
      if (spec.app ? answer.status >= 300 : answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
    } else if (spec.healthcheck) {
      await compose(['exec', '-T', name, ...spec.healthcheck]);
    } else {
      const entry = parsePs(await compose(['ps', '--format', 'json', name])).find((e) => e.Service === name);
      if (entry?.State !== 'running') throw new Error(entry ? entry.State : 'not listed');
    }
  };
  // A container that starts again may come back at another address: looked up anew first.
  const waitReady = async (name: string) => {
    await refreshAddresses();
    await pollUntil(name, () => answers(name), { timeoutMs: readyTimeoutMs, firstDelayMs: 20, maxDelayMs: 100 });
  };

  // A redeploy's changed variables (and a skewed node's libfaketime mount), per service, in one
  // override file that every later command reads too.
  const overrideFile = join(runDir, 'redeploy.override.yml');
  const redeployed: Record<string, { environment: Record<string, string>; volumes?: string[] }> = {};
  const recreate = async (name: string) => {
    if (Object.keys(redeployed).length === 0) {
      files.splice(files.indexOf(overrideFile), 1);
    } else {
      await writeFile(overrideFile, `# Written by the lab for this run: what its redeploys changed.\n${stringify({ services: redeployed })}`);
      if (!files.includes(overrideFile)) files.push(overrideFile);
    }
    await compose(['up', '-d', '--no-deps', '--force-recreate', name]);
    await waitReady(name);
    await network.reapply(name);
  };
  const redeploy = async (name: string, environment: Record<string, string>, volumes?: string[]) => {
    redeployed[name] = { ...redeployed[name], environment: { ...redeployed[name]?.environment, ...environment }, ...(volumes ? { volumes } : {}) };
    await recreate(name);
  };
  // Back to the topology's own environment: the service leaves the override file (and the file
  // leaves the command once it is empty), and its container is recreated from what is left.
  const reset = async (name: string) => {
    if (!redeployed[name]) return;
    delete redeployed[name];
    await recreate(name);
  };

  const network = composeNetwork(inspectProject);

  // One `docker compose ps` of the whole project, shared by the status reads asked for while it
  // runs: the console reads every service's at once, and a ps per service costs a CLI start each.
  let psInFlight: Promise<PsEntry[]> | undefined;
  const projectPs = () =>
    (psInFlight ??= compose(['ps', '-a', '--format', 'json'])
      .then(parsePs)
      .finally(() => (psInFlight = undefined)));

  const service = (name: string): ServiceControl => {
    if (!names.includes(name)) throw new UnknownServiceError(`no service "${name}" in ${topology.name}; it has ${names.join(', ')}`);
    const spare = topology.services.find((s) => s.name === name)?.spare;
    return {
      start: async () => {
        // A spare node has no container until its first start: `up` makes one (naming a service
        // starts its profile); `start` only starts a container that exists.
        await compose(spare ? ['up', '-d', '--no-deps', name] : ['start', name]);
        await waitReady(name);
        await network.reapply(name);
      },
      stop: async () => {
        await compose(['stop', name]);
      },
      kill: async () => {
        await compose(['kill', '-s', 'SIGKILL', name]);
      },
      pause: async () => {
        await compose(['pause', name]);
      },
      resume: async () => {
        await compose(['unpause', name]);
      },
      restartWith: (environment) => redeploy(name, environment),
      reset: () => reset(name),
      status: async () => {
        const entry = (await projectPs()).find((e) => e.Service === name);
        if (entry?.State === 'running') return 'up';
        return entry?.State === 'paused' ? 'paused' : 'down';
      },
      ...(topology.services.some((s) => s.name === name && s.kind === 'app')
        ? {
            skewClock: async (seconds: number) => {
              const library = faketimeLibrary();
              if (!library) throw new ClockSkewError(composeLacks()['clock-skew']);
              await redeploy(name, skewedClockEnvironment(containerFaketime, seconds), [`${library}:${containerFaketime}:ro`]);
            },
          }
        : {}),
    };
  };

  await refreshAddresses();
  const nodeAt = (address: string) => {
    const at = address.lastIndexOf(':');
    const [host, port] = [address.slice(0, at), Number(address.slice(at + 1))];
    return topology.services.find((s) => s.kind === 'app' && s.containerPort === port && addresses.get(s.name)?.addresses.includes(host))?.name;
  };
  const running: RunningTopology = { topology, balancerUrl, runDir, standInImages, probe, service, nodeAt, balancer: composeBalancer(topology, compose), network, logs: logLines, down: close };
  return { running, waitReady, close };
}

/**
 * The balancer's node list inside its container: the template rendered as the image's entrypoint
 * renders it (the compose file's variables, the upstream list changed), written over its config,
 * and `nginx -s reload` (nginx is the container's first process, its workers its children).
 */
function composeBalancer(topology: Topology, compose: (args: string[]) => Promise<string>): BalancerControl {
  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  const template = nginx.volumes.find((v) => v.bind && v.target.startsWith('/etc/nginx/templates/') && v.target.endsWith('.template'));
  const confPath = template && `/etc/nginx/conf.d/${template.target.slice('/etc/nginx/templates/'.length, -'.template'.length)}`;
  // Done once a worker of the new config runs and the old ones have exited (see the local
  // backend's reload: an old worker serves its kept-alive connections by the old list).
  const script = [
    'workers() { cat /proc/1/task/1/children; }',
    'old=" $(workers) "',
    'printf "%s" "$2" > "$1" && nginx -s reload || exit 1',
    'for try in $(seq 400); do',
    '  fresh=0; stale=0',
    '  for pid in $(workers); do case "$old" in *" $pid "*) stale=1 ;; *) fresh=1 ;; esac; done',
    '  [ "$fresh" = 1 ] && [ "$stale" = 0 ] && exit 0',
    '  sleep 0.025',
    'done',
    'echo "the old workers still ran 10 s after the reload" >&2; exit 1',
  ].join('\n');
  let listed = listedNodes(topology);
  return {
    nodes: () => listed,
    setNodes: async (nodes) => {
      if (!template || !confPath) throw new Error(`${nginx.name}: no template mounted into /etc/nginx/templates/`);
      const conf = renderNginxTemplate({ ...nginx.environment, NGINX_UPSTREAM_SERVERS: upstreamServersFor(topology, nodes) }, template.source);
      await compose(['exec', '-T', nginx.name, 'sh', '-c', script, 'reload', confPath, conf]);
      listed = [...nodes];
    },
  };
}

/** The stand-in images (setup:docker's, and any image built on one) that these containers run. */
async function standIns(commands: CommandRunner, containers: string[]): Promise<string[]> {
  if (containers.length === 0) return [];
  const lines = await commands.run('docker', ['inspect', '--format', `{{.Config.Image}} {{index .Config.Labels "${standInLabel}"}}`, ...containers]);
  return [...new Set(lines.split('\n').filter((line) => line.trim().split(' ').length > 1).map((line) => line.split(' ')[0]!))].sort();
}
