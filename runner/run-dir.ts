// Every run of a topology, on either backend, gets a directory of its own under .lab/runs/ for
// its logs (and, locally, its data); the oldest are pruned so the folder does not grow forever.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from './topology.ts';

export const runsDir = join(projectRoot, '.lab', 'runs');
/** Where every `lab run` writes its HTML report. */
export const reportsDir = join(projectRoot, '.lab', 'reports');

/** Run directories (and reports) kept; older ones are removed when a new one is made. */
const kept = 50;

/** 2026-11-26_16-02-11-123: sorts in time order and is safe in every file system. */
export function runTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 23);
}

/** Keeps the newest entries of dir (their names start with a timestamp), leaving room for one more. */
export async function pruneOld(dir: string): Promise<void> {
  const entries = (await readdir(dir).catch(() => [] as string[])).sort();
  await Promise.all(entries.slice(0, Math.max(0, entries.length - kept + 1)).map((name) => rm(join(dir, name), { recursive: true, force: true })));
}

/** Creates `<time>-<topology>[-<suffix>]/logs` after pruning old runs; returns the run directory. */
export async function newRunDir(topology: string, suffix?: string): Promise<string> {
  await pruneOld(runsDir);
  const runDir = join(runsDir, [runTimestamp(), topology, suffix].filter(Boolean).join('-'));
  await mkdir(join(runDir, 'logs'), { recursive: true });
  return runDir;
}
