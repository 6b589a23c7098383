// What each runner started, on disk: .lab/runners/<pid>-<startTicks>-<pidns>.json lists the process
// groups it leads (pid, start time, name). The kernel ends a killed runner's services (see
// guardedCommand in processes.ts); this is the second line, for what it could not reach (a
// runner that was not root has no PID namespaces, so nginx's workers outlive their master): the
// next lab command ends the processes of runners that are gone. A recorded pid whose start time
// differs belongs to an unrelated process that got the number later, and is never touched.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOwner, ownerAlive, parseOwner, processStartTicks, thisRunner, type RunOwner } from './run-owner.ts';
import { projectRoot } from './topology.ts';

export const runnersDir = join(projectRoot, '.lab', 'runners');

interface RecordedProcess {
  name: string;
  pid: number;
  startTicks: number;
}

const started = new Map<number, RecordedProcess>();
const recordFile = join(runnersDir, `${formatOwner(thisRunner, '-')}.json`);

function write(): void {
  try {
    if (started.size === 0) {
      rmSync(recordFile, { force: true });
      return;
    }
    mkdirSync(runnersDir, { recursive: true });
    writeFileSync(recordFile, `${JSON.stringify([...started.values()])}\n`);
  } catch {
    // A record that cannot be written only weakens the second line; the kernel's first still holds.
  }
}

// Its processes are killed on the way out (processes.ts): the record goes with them.
process.on('exit', () => rmSync(recordFile, { force: true }));

/** Notes a process group this runner started. */
export function recordProcess(name: string, pid: number): void {
  const startTicks = processStartTicks(pid);
  if (startTicks === undefined) return;
  started.set(pid, { name, pid, startTicks });
  write();
}

/** Notes that it has ended. */
export function forgetProcess(pid: number): void {
  if (started.delete(pid)) write();
}

function ownerOf(file: string): RunOwner | undefined {
  return file.endsWith('.json') ? parseOwner(file.slice(0, -'.json'.length), '-') : undefined;
}

/**
 * Ends, with SIGKILL to their whole process group, the recorded processes of every runner that is
 * gone and whose start time still matches; removes their records. Returns their names.
 */
export function reapDeadRunners(dir = runnersDir): string[] {
  const ended: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return ended;
  }
  for (const file of files) {
    const owner = ownerOf(file);
    if (!owner || ownerAlive(owner)) continue;
    let processes: RecordedProcess[] = [];
    try {
      processes = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedProcess[];
    } catch {
      // A record cut short by the kill: nothing in it can be trusted, so nothing is killed.
    }
    for (const recorded of processes) {
      if (processStartTicks(recorded.pid) !== recorded.startTicks) continue;
      for (const target of [-recorded.pid, recorded.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      ended.push(recorded.name);
    }
    rmSync(join(dir, file), { force: true });
  }
  return ended;
}
