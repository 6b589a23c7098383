// Whose compose project is whose. Every container a lab run starts carries two labels: the run's
// id and its runner (pid and start time). A project without them was started by someone else
// (`docker compose up` in a terminal): the lab attaches to it and never removes it. A project whose
// runner is gone was left by a killed run: any lab command removes it, whatever its topology.
import { formatOwner, ownerAlive, parseOwner, thisRunner } from '../run-owner.ts';
import type { Topology } from '../topology.ts';
import type { CommandRunner } from './commands.ts';

export const runLabel = 'org.session-lab.run';
export const runnerLabel = 'org.session-lab.runner';
const projectLabel = 'com.docker.compose.project';

/** The project a person gets from `docker compose -f compose/<topology>.yml up` (the file's `name:`). */
export function userProjectName(topology: Topology): string {
  return `session-lab-${topology.name}`;
}

/** A lab run's own project: beside the user's, never the same name, so it can neither take nor be taken for theirs. */
export function runProjectName(topology: Topology, runId: string): string {
  return `session-lab-${topology.name}-lab-${runId}`;
}

/**
 * The override file of a lab run's own project: every service labelled with the run and its
 * runner, and the balancer published on a free loopback port (the topology's fixed 8080 is for
 * people, and may be taken by the project they started).
 */
export function runOverride(topology: Topology, runId: string): string {
  const lines = ['# Written by the lab for this run: whose containers these are, and a free port for the balancer.', 'services:'];
  for (const service of topology.services) {
    lines.push(`  ${service.name}:`, '    labels:', `      ${runLabel}: "${runId}"`, `      ${runnerLabel}: "${formatOwner(thisRunner)}"`);
    if (service.kind === 'nginx') lines.push('    ports: !override', `      - "127.0.0.1::${service.containerPort}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** The containers, volumes and networks of a compose project that the engine still has. */
export async function projectLeftovers(commands: CommandRunner, project: string): Promise<string[]> {
  const label = `label=${projectLabel}=${project}`;
  const lists = await Promise.all([
    commands.run('docker', ['ps', '-a', '-q', '--filter', label]),
    commands.run('docker', ['volume', 'ls', '-q', '--filter', label]),
    commands.run('docker', ['network', 'ls', '-q', '--filter', label]),
  ]);
  return lists.flatMap((list) => list.split('\n').filter(Boolean));
}

/** Removes a project by its labels alone (no compose file needed): containers, then volumes and networks. */
export async function removeProject(commands: CommandRunner, project: string): Promise<void> {
  const label = `label=${projectLabel}=${project}`;
  const ids = async (args: string[]) => (await commands.run('docker', [...args, '--filter', label])).split('\n').filter(Boolean);
  const containers = await ids(['ps', '-a', '-q']);
  if (containers.length > 0) await commands.run('docker', ['rm', '-f', '-v', ...containers]);
  const volumes = await ids(['volume', 'ls', '-q']);
  if (volumes.length > 0) await commands.run('docker', ['volume', 'rm', '-f', ...volumes]);
  const networks = await ids(['network', 'ls', '-q']);
  if (networks.length > 0) await commands.run('docker', ['network', 'rm', ...networks]);
}

/**
 * Removes every project whose lab runner is gone (killed with -9, or its machine's session
 * closed hard), and returns their names. Projects without the labels are never touched.
 */
export async function reapDeadRuns(commands: CommandRunner): Promise<string[]> {
  const lines = await commands.run('docker', ['ps', '-a', '--filter', `label=${runnerLabel}`, '--format', `{{.Label "${projectLabel}"}} {{.Label "${runnerLabel}"}}`]);
  const dead = new Set<string>();
  for (const line of lines.split('\n').filter(Boolean)) {
    const [project = '', owner] = line.trim().split(' ');
    const runner = parseOwner(owner);
    if (project && runner && !ownerAlive(runner)) dead.add(project);
  }
  for (const project of dead) await removeProject(commands, project);
  return [...dead];
}

/** What runs of a project: its containers by service, and whether any of them is a lab run's. */
export interface ProjectState {
  /** Service → state (running, paused, exited, …). */
  services: Map<string, string>;
  startedByLab: boolean;
}

export async function projectState(commands: CommandRunner, project: string): Promise<ProjectState> {
  const format = `{{.Label "com.docker.compose.service"}} {{.State}} {{.Label "${runLabel}"}}`;
  const lines = await commands.run('docker', ['ps', '-a', '--filter', `label=${projectLabel}=${project}`, '--format', format]);
  const services = new Map<string, string>();
  let startedByLab = false;
  for (const line of lines.split('\n').filter(Boolean)) {
    const [service = '', state = '', run] = line.trim().split(' ');
    services.set(service, state);
    if (run) startedByLab = true;
  }
  return { services, startedByLab };
}

/** The user's project to attach to: running (its balancer at least) and started outside the lab. */
export async function runningUserProject(commands: CommandRunner, topology: Topology): Promise<string | undefined> {
  const project = userProjectName(topology);
  const state = await projectState(commands, project);
  const nginx = topology.services.find((s) => s.kind === 'nginx')!;
  return !state.startedByLab && state.services.get(nginx.name) === 'running' ? project : undefined;
}
