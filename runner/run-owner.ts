// Who owns a run: the runner's pid and the time that pid started. A run whose owner is gone left
// its services behind (its runner got kill -9); the start time tells the owner apart from an
// unrelated process that was later given the same pid, which is never taken for it.
import { readFileSync } from 'node:fs';

export interface RunOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22). */
  startTicks: number;
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
export const thisRunner: RunOwner = { pid: process.pid, startTicks: processStartTicks(process.pid) ?? 0 };

/** Whether the owner still runs: the same pid, started at the same time. */
export function ownerAlive(owner: RunOwner): boolean {
  return processStartTicks(owner.pid) === owner.startTicks;
}

/** `<pid>:<startTicks>`, as labels and records carry it. */
export function formatOwner(owner: RunOwner): string {
  return `${owner.pid}:${owner.startTicks}`;
}

/** Reads formatOwner's text; undefined when it is not one. */
export function parseOwner(text: string | undefined): RunOwner | undefined {
  const match = /^(\d+):(\d+)$/.exec(text?.trim() ?? '');
  return match ? { pid: Number(match[1]), startTicks: Number(match[2]) } : undefined;
}
