// Child processes that must never outlive their owner. Each runs in its own process group, so
// a stop reaches whatever it started too (npm → node, postgres → its backends); whatever is
// still alive when this process exits is killed on the way out. And when this process cannot
// act at all (kill -9, the OOM killer), the kernel ends them: see guardedCommand. Each runner
// also records what it started (runner-record.ts), so that the next lab command can end what a
// runner's death still left.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { findBinary, hasBinary } from './binaries.ts';
import { forgetProcess, recordProcess } from './runner-record.ts';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  readonly running: boolean;
  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** The stop signal (SIGTERM unless set), then SIGKILL after graceMs; resolves when the process has ended. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ManagedProcess>();


function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const managed of live) killGroup(managed.child.pid, 'SIGKILL');
});

const teardowns = new Set<() => Promise<void>>();

/**
 * Work that must be done before this process exits, even when a signal comes while it starts
 * something up (the compose backend's `docker compose down` of a half-started project). Returns
 * the function that takes it back once it is done or no longer needed.
 */
export function atTeardown(work: () => Promise<void>): () => void {
  teardowns.add(work);
  return () => teardowns.delete(work);
}

/**
 * Runs the registered teardowns, then stops every process still running (a teardown of last
 * resort, e.g. on Ctrl-C during start-up).
 */
export async function stopAllManaged(graceMs = 5000): Promise<void> {
  await Promise.all([...teardowns].map((work) => work().catch(() => {})));
  await Promise.all([...live].map((managed) => managed.stop(graceMs)));
}

export interface ManagedOptions extends SpawnOptions {
  /** The signal that asks for a graceful stop (PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Receives what the process writes to stdout and stderr; without it both are discarded. */
  output?: (chunk: Buffer) => void;
  /**
   * A network namespace (its path, /run/netns/<name>) to run the process in. nsenter enters it,
   * takes on uid and gid, and execs the command: the process keeps its pid and its group.
   */
  netns?: string;
}

/** Whether this runner can give each process a PID namespace of its own (root, with unshare). */
let pidNamespaces: boolean | undefined;
function canUnsharePid(): boolean {
  if (pidNamespaces === undefined) {
    pidNamespaces = process.getuid?.() === 0 && hasBinary('unshare');
  }
  return pidNamespaces;
}

/**
 * The command line that runs command so that it dies with this runner, even by kill -9: setpriv
 * asks the kernel to SIGKILL it when its parent dies (PR_SET_PDEATHSIG). A signal to a process
 * does not reach what it forked (nginx's workers outlive their master), so as root each command
 * runs as the first process of a PID namespace of its own, under unshare: when the runner dies,
 * unshare dies, its child dies, and the kernel kills everything else in the namespace. unshare
 * waits for its child, so a stop signal sent to the group still stops the service gracefully.
 * netns and uid/gid are entered inside (nsenter, setpriv), and the death signal set again after
 * the change of user, which clears it.
 */
function guardedCommand(command: string, args: readonly string[], netns?: string, uid?: number, gid?: number): [string, string[]] {
  const setpriv = findBinary('setpriv');
  const deathSignal = ['--pdeathsig', 'KILL'];
  const entered = netns ? [findBinary('nsenter'), `--net=${netns}`, '--'] : [];
  if (!canUnsharePid()) return [setpriv, [...deathSignal, '--', ...entered, command, ...args]];
  const user = uid !== undefined ? [`--reuid=${uid}`, `--regid=${gid ?? uid}`, '--clear-groups'] : [];
  const unshare = [findBinary('unshare'), '--pid', '--fork', '--kill-child=KILL', '--'];
  return [setpriv, [...deathSignal, '--', ...unshare, ...entered, setpriv, ...user, ...deathSignal, '--', command, ...args]];
}

/** A process's /proc/<pid>/stat fields that the lab reads (the command name may hold spaces and parentheses). */
interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
}

function readStat(path: string, pid: number): ProcStat {
  const stat = readFileSync(path, 'utf8');
  const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), state: state!, ppid: Number(ppid), pgrp: Number(pgrp) };
}

/** Every process of this PID namespace, read once from /proc. */
function processTable(): ProcStat[] {
  const table: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      table.push(readStat(`/proc/${entry}/stat`, Number(entry)));
    } catch {
      // Gone while we looked.
    }
  }
  return table;
}

/** Not a zombie, not dead. */
const alive = (state: string) => state !== 'Z' && state !== 'X';

/**
 * Whether any process of the group still runs. A process counts until every thread of it has
 * exited: a main thread becomes a zombie while its other threads still hold its files (a killed
 * node's listening socket among them).
 */
function groupRuns(pgid: number): boolean {
  return processTable().some((p) => {
    if (p.pgrp !== pgid) return false;
    if (alive(p.state)) return true;
    try {
      return readdirSync(`/proc/${p.pid}/task`).some((task) => alive(readStat(`/proc/${p.pid}/task/${task}/stat`, p.pid).state));
    } catch {
      return false; // Gone while we looked.
    }
  });
}

/**
 * Every process under pid (its children, theirs, …), whatever their group: a child that made a
 * session of its own (each PostgreSQL backend calls setsid) leaves its parent's process group.
 */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of processTable()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/**
 * The pid, as this runner sees it, of the group's process named `comm` whose parent is named
 * otherwise (nginx's master, not a worker), and the pids of its children: the guards around it
 * (setpriv, unshare) must not get its signals, and inside a PID namespace its own pid file names
 * another number.
 */
export function masterOf(managed: ManagedProcess, comm: string): { pid: number; children: number[] } | undefined {
  const pgid = managed.child.pid;
  if (pgid === undefined || !managed.running) return undefined;
  const members = processTable().filter((p) => p.pgrp === pgid);
  const master = members.find((m) => m.comm === comm && members.find((p) => p.pid === m.ppid)?.comm !== comm);
  return master && { pid: master.pid, children: members.filter((m) => m.ppid === master.pid).map((m) => m.pid) };
}

/** Resolves once no process of the group runs, or after 3 s (a process in uninterruptible sleep). */
async function groupEnded(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  for (const deadline = Date.now() + 3000; groupRuns(pgid) && Date.now() < deadline; ) await sleep(5);
}

export function spawnManaged(name: string, command: string, args: readonly string[], options: ManagedOptions = {}): ManagedProcess {
  const { stopSignal = 'SIGTERM', output, netns, ...spawnOptions } = options;
  const stdio = spawnOptions.stdio ?? ['ignore', output ? 'pipe' : 'ignore', output ? 'pipe' : 'ignore'];
  // As root, the user changes inside the guard (after unshare, which needs root); otherwise spawn
  // changes it, as before (a runner that is not root cannot change it anyway).
  const [file, argv] = guardedCommand(command, args, netns, canUnsharePid() ? spawnOptions.uid : undefined, spawnOptions.gid);
  if (canUnsharePid()) {
    delete spawnOptions.uid;
    delete spawnOptions.gid;
  }
  const child = spawn(file, argv, { ...spawnOptions, stdio, detached: true });
  if (child.pid !== undefined) recordProcess(name, child.pid);
  if (output) {
    child.stdout?.on('data', output);
    child.stderr?.on('data', output);
  }
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      // The group may hold children of the child; they go with it. Under unshare the child is the
      // guard, whose exit can come before the service's own: ended means the whole group gone, so
      // that a killed service's port is closed when its kill returns.
      killGroup(child.pid, 'SIGKILL');
      void groupEnded(child.pid).then(() => {
        running = false;
        live.delete(managed);
        if (child.pid !== undefined) forgetProcess(child.pid);
        resolve(code);
      });
    });
    child.once('error', () => {
      running = false;
      live.delete(managed);
      resolve(null);
    });
  });
  const managed: ManagedProcess = {
    name,
    child,
    exited,
    get running() {
      return running;
    },
    signal: (signal) => {
      if (!running) return;
      killGroup(child.pid, signal);
      // A pause freezes the whole service, as `docker pause` freezes its container: the processes
      // that left the group too (a database's connections would go on answering otherwise).
      if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
        for (const pid of descendantsOf(child.pid!)) {
          try {
            process.kill(pid, signal);
          } catch {
            // Gone meanwhile.
          }
        }
      }
    },
    stop: async (graceMs = 5000) => {
      if (!running) return;
      killGroup(child.pid, stopSignal);
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(managed);
  return managed;
}

/** Rejects with the spawn error (ENOENT: binary missing) or resolves once the process started. */
export async function spawned(managed: ManagedProcess): Promise<void> {
  if (managed.child.pid !== undefined) return;
  const [err] = (await once(managed.child, 'error')) as [Error];
  throw err;
}
