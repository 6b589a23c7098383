// Child processes that must never outlive their owner. Each runs in its own process group, so
// a stop reaches whatever it started too (npm → node, postgres → its backends); whatever is
// still alive when this process exits is killed on the way out.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { findBinary } from './binaries.ts';

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

/** The command line that runs command inside netns as uid:gid (nsenter drops root after entering). */
function enteredCommand(netns: string, command: string, args: readonly string[], uid?: number, gid?: number): [string, string[]] {
  const ids = [...(gid !== undefined ? [`--setgid=${gid}`] : []), ...(uid !== undefined ? [`--setuid=${uid}`] : [])];
  return [findBinary('nsenter'), [`--net=${netns}`, ...ids, '--', command, ...args]];
}

export function spawnManaged(name: string, command: string, args: readonly string[], options: ManagedOptions = {}): ManagedProcess {
  const { stopSignal = 'SIGTERM', output, netns, ...spawnOptions } = options;
  const stdio = spawnOptions.stdio ?? ['ignore', output ? 'pipe' : 'ignore', output ? 'pipe' : 'ignore'];
  let [file, argv] = [command, args];
  if (netns) {
    [file, argv] = enteredCommand(netns, command, args, spawnOptions.uid, spawnOptions.gid);
    delete spawnOptions.uid;
    delete spawnOptions.gid;
  }
  const child = spawn(file, argv, { ...spawnOptions, stdio, detached: true });
  if (output) {
    child.stdout?.on('data', output);
    child.stderr?.on('data', output);
  }
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running = false;
      live.delete(managed);
      // The group may hold children of the child; they go with it.
      killGroup(child.pid, 'SIGKILL');
      resolve(code);
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
      if (running) killGroup(child.pid, signal);
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
