// Every run of a topology, on either backend, gets a directory of its own under .lab/runs/ for
// its logs (and, locally, its data); the oldest are pruned so the folder does not grow forever.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from './topology.ts';

export const runsDir = join(projectRoot, '.lab', 'runs');

/** Run directories kept; older ones are removed when a new run starts. */
const keptRuns = 50;

/** 2026-11-26_16-02-11-123: sorts in time order and is safe in every file system. */
export function runTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 23);
}

async function pruneOldRuns(): Promise<void> {
  const runs = (await readdir(runsDir).catch(() => [] as string[])).sort();
  await Promise.all(runs.slice(0, Math.max(0, runs.length - keptRuns + 1)).map((name) => rm(join(runsDir, name), { recursive: true, force: true })));
}

/** Creates `<time>-<topology>[-<suffix>]/logs` after pruning old runs; returns the run directory. */
export async function newRunDir(topology: string, suffix?: string): Promise<string> {
  await pruneOldRuns();
  const runDir = join(runsDir, [runTimestamp(), topology, suffix].filter(Boolean).join('-'));
  await mkdir(join(runDir, 'logs'), { recursive: true });
  return runDir;
}
