// CPU time per process, read from /proc (Linux): which process listens on a TCP port, the
// processes below it, and what they spent in user and system time. A load run on a machine of
// few cores shares them between the load generator, the node and its store; this says what each
// of them spent per request, so that the node's own cost is a figure of its own.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's times (USER_HZ, 100 nearly everywhere). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

function numericEntries(dir: string): number[] {
  try {
    return readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** A file of /proc, or undefined when it is gone (its process ended) or not readable. */
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where a file descriptor of /proc points, or undefined when it is gone. */
function linkOf(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces), or undefined once gone. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Socket inodes listening on port, IPv4 or IPv6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readProc(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** The processes holding a listening socket on port (nginx: its master and workers). */
export function listeners(port: number): number[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const found: number[] = [];
  for (const pid of numericEntries('/proc')) {
    for (const fd of numericEntries(`/proc/${pid}/fd`)) {
      const link = linkOf(`/proc/${pid}/fd/${fd}`);
      if (link?.startsWith('socket:[') && inodes.has(link.slice(8, -1))) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

interface ProcessTable {
  children: Map<number, number[]>;
  /** Clock ticks of user and system time, the process's own and its reaped children's. */
  ticks: Map<number, number>;
}

/**
 * Every process's parent and CPU ticks, read once. Not an atomic snapshot: a process reaped
 * between the reading of its parent and its own counts in neither, so a reading taken while a
 * process ends can fall short by what that process spent. The benchmark's processes (nodes,
 * stores, pooled PostgreSQL backends) live through a whole run.
 */
function processTable(): ProcessTable {
  const table: ProcessTable = { children: new Map(), ticks: new Map() };
  for (const pid of numericEntries('/proc')) {
    const fields = statFields(pid);
    if (!fields) continue;
    const parent = Number(fields[1]);
    table.children.set(parent, [...(table.children.get(parent) ?? []), pid]);
    // utime, stime, cutime, cstime are fields 14 to 17 of stat; 12 to 15 after the name. A
    // backend that ended between two readings still counts, in its parent's reaped time.
    table.ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
  }
  return table;
}

/** CPU seconds spent so far by roots and every process below them (PostgreSQL's backends). */
function cpuSeconds(table: ProcessTable, roots: readonly number[]): number {
  const seen = new Set<number>();
  let ticks = 0;
  const visit = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    ticks += table.ticks.get(pid) ?? 0;
    for (const child of table.children.get(pid) ?? []) visit(child);
  };
  roots.forEach(visit);
  return ticks / clockTicks();
}

/** Named groups of processes (node, store, load generator…), each by its root processes. */
export type ProcessGroups = Record<string, number[]>;

/** CPU seconds each group has spent so far, read at one moment. */
export function readGroups(groups: ProcessGroups): Record<string, number> {
  const table = processTable();
  return Object.fromEntries(Object.entries(groups).map(([name, roots]) => [name, cpuSeconds(table, roots)]));
}

/** Microseconds of CPU per request of each group between two readings. */
export function perRequestMicros(before: Record<string, number>, after: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, requests > 0 ? Math.round(((after[name]! - (before[name] ?? 0)) * 1e6) / requests) : 0]));
}
