// How long the lab takes on this machine: start-up and teardown of each topology, and each
// scenario's run, repeated and reported as medians. A benchmark that prints figures, not a test.
//   npm run bench:lab -- [--repeat N] [--json FILE]
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { scenarios } from '../scenarios/index.ts';
import { startLocalTopology } from '../runner/local/backend.ts';
import { runScenario } from '../runner/scenario.ts';
import { listTopologies, loadTopology } from '../runner/topology.ts';
import { median } from '../lib/stats.ts';
import { parseBenchArgs, usageError } from './args.ts';

const usage = 'npm run bench:lab -- [--repeat N] [--json FILE]';
const { values } = parseBenchArgs('bench:lab', usage, { options: { repeat: { type: 'string', default: '3' }, json: { type: 'string' } } });
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) usageError('bench:lab', usage, `--repeat must be a whole number from 1 to 20, not "${values.repeat}"`);


const topologies: { name: string; upMs: number; downMs: number }[] = [];
for (const name of listTopologies()) {
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const running = await startLocalTopology(loadTopology(name));
    const t1 = performance.now();
    await running.down();
    up.push(t1 - t0);
    down.push(performance.now() - t1);
  }
  topologies.push({ name, upMs: Math.round(median(up)), downMs: Math.round(median(down)) });
}

const runsByScenario = new Map<string, { runs: number[]; passed: boolean }>(scenarios.map((s) => [s.name, { runs: [], passed: true }]));
const wholeRuns: number[] = [];
for (let i = 0; i < repeat; i++) {
  const t0 = performance.now();
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, { start: (t) => startLocalTopology(t) });
    const entry = runsByScenario.get(scenario.name)!;
    entry.runs.push(result.durationMs);
    entry.passed &&= result.passed;
  }
  wholeRuns.push(performance.now() - t0);
}
const scenarioTimes = [...runsByScenario].map(([name, { runs, passed }]) => ({ name, medianMs: median(runs), passed }));

console.log(`session-lab timings: ${availableParallelism()} cores, Node ${process.version}, ${repeat} run(s) each, medians\n`);
const width = Math.max(...[...topologies, ...scenarioTimes].map((row) => row.name.length));
console.log(`${'topology'.padEnd(width)}   up ms  down ms`);
for (const t of topologies) console.log(`${t.name.padEnd(width)}  ${String(t.upMs).padStart(6)}  ${String(t.downMs).padStart(7)}`);
console.log(`\n${'scenario'.padEnd(width)}  run ms  passed`);
for (const s of scenarioTimes) console.log(`${s.name.padEnd(width)}  ${String(s.medianMs).padStart(6)}  ${s.passed}`);
console.log(`\nall scenarios: ${Math.round(median(wholeRuns))} ms`);
if (values.json) {
  await writeFile(values.json, JSON.stringify({ date: new Date().toISOString(), cores: availableParallelism(), node: process.version, repeat, topologies, scenarios: scenarioTimes, allScenariosMs: Math.round(median(wholeRuns)) }, null, 2) + '\n');
}
