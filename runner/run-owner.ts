// Who owns a run: the runner's pid and the time that pid started. A run whose owner is gone left
// its services behind (its runner got kill -9); the start time tells the owner apart from an
// unrelated process that was later given the same pid, which is never taken for it. A pid means
// something only in its PID namespace: an owner from another one (a lab in a container sharing
// the host's Docker engine) cannot be looked at from here, and is never taken for gone.
import { readFileSync, readlinkSync } from 'node:fs';

export interface RunOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22). */
  startTicks: number;
  /** The inode of its PID namespace (/proc/<pid>/ns/pid); absent in records that predate it. */
  pidNamespace?: number;
}

/** This process's PID namespace, as an inode number (0 when /proc cannot say). */
function ownPidNamespace(): number {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process's start time, or undefined when no such process exists (or /proc cannot say). */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ")": count after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** This process as the owner of the runs it starts. */
export const thisRunner: RunOwner = { pid: process.pid, startTicks: processStartTicks(process.pid) ?? 0, pidNamespace: ownPidNamespace() };

/**
 * Whether the owner still runs: the same pid, started at the same time. One of another PID
 * namespace cannot be seen from here, so it counts as running: what it started is never reaped.
 */
export function ownerAlive(owner: RunOwner): boolean {
  if (owner.pidNamespace !== undefined && owner.pidNamespace !== thisRunner.pidNamespace) return true;
  return processStartTicks(owner.pid) === owner.startTicks;
}

/** `<pid>:<startTicks>:<pidNamespace>`, as labels and records carry it. */
export function formatOwner(owner: RunOwner, separator = ':'): string {
  return [owner.pid, owner.startTicks, ...(owner.pidNamespace !== undefined ? [owner.pidNamespace] : [])].join(separator);
}

/** Reads formatOwner's text (the namespace may be missing); undefined when it is not one. */
export function parseOwner(text: string | undefined, separator = ':'): RunOwner | undefined {
  const parts = (text?.trim() ?? '').split(separator);
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^\d+$/.test(part))) return undefined;
  const [pid, startTicks, pidNamespace] = parts.map(Number) as [number, number, number | undefined];
  return { pid, startTicks, ...(pidNamespace !== undefined ? { pidNamespace } : {}) };
}
