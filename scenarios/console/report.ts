// "Save report": what happened in the console so far (every request nginx logged, every fault
// clicked) as the same self-contained HTML report that `lab run` writes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RunningTopology } from '../../runner/backend.ts';
import type { Op } from '../../runner/history.ts';
import { htmlReport } from '../../runner/html-report.ts';
import { pruneOld, reportsDir, runTimestamp } from '../../runner/run-dir.ts';
import { projectRoot } from '../../runner/topology.ts';

/** Writes the report to .lab/reports/<time>-console-<topology>.html; returns its path from the project. */
export async function saveConsoleReport(running: RunningTopology, ops: readonly Op[], startedAt: Date): Promise<string> {
  const requests = ops.filter((op) => op.action === 'request').length;
  const faults = ops.filter((op) => op.process === 'nemesis').length;
  const result = {
    name: `console ${running.topology.name}`,
    topology: running.topology.name,
    expected: 'what the console saw',
    observed: `${requests} requests, ${faults} faults`,
    passed: true,
    metrics: { requests, faults, nodes: [...new Set(ops.map((op) => op.servedBy).filter(Boolean))].sort().join(' ') },
    durationMs: Date.now() - startedAt.getTime(),
    runDir: running.runDir,
    ...(running.standInImages?.length ? { standInImages: running.standInImages } : {}),
    history: [...ops],
  };
  await mkdir(reportsDir, { recursive: true });
  await pruneOld(reportsDir);
  const file = join(reportsDir, `${runTimestamp()}-console-${running.topology.name}.html`);
  await writeFile(file, htmlReport([result], startedAt, 'console'));
  return relative(projectRoot, file);
}
