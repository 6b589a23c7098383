// "Save report": what happened in the console so far (every request nginx logged, every fault
// clicked) as the same self-contained HTML report that `lab run` writes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RunningTopology } from '../../runner/backend.ts';
import type { History } from '../../runner/history.ts';
import { htmlReport } from '../../runner/html-report.ts';
import { pruneOld, reportsDir, runTimestamp } from '../../runner/run-dir.ts';
import { projectRoot } from '../../runner/topology.ts';

/**
 * Writes the report of the operations the console's history still keeps (its last ones, when it
 * has recorded more) to .lab/reports/<time>-console-<topology>.html; returns its path from the project.
 */
export async function saveConsoleReport(running: RunningTopology, history: History, startedAt: Date): Promise<string> {
  const ops = history.ops;
  const requests = ops.filter((op) => op.action === 'request').length;
  const faults = ops.filter((op) => op.process === 'nemesis').length;
  const dropped = history.recorded - ops.length;
  const result = {
    name: `console ${running.topology.name}`,
    topology: running.topology.name,
    expected: 'what the console saw',
    observed: `${requests} requests, ${faults} faults${dropped > 0 ? ` (the last ${ops.length} of ${history.recorded} operations)` : ''}`,
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
