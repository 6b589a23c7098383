// The loss table: one device's adds sent at once, on every store, in both CART_MODEs, at 2, 6
// and 20 requests at a time (the lost-update workload, on each store's topology with CART_MODE
// set for every node). Prints the acknowledged adds lost, and whether the cart's limits held.
//   npm run bench:lost-updates -- [--json FILE]
import { writeFile } from 'node:fs/promises';
import type { CartMode } from '../app/config.ts';
import { startLocalTopology } from '../runner/local/backend.ts';
import { stopAllManaged } from '../runner/processes.ts';
import { runScenario } from '../runner/scenario.ts';
import type { Topology } from '../runner/topology.ts';
import { concurrencyLevels, concurrentAdds, levelBurst, lineLimitBurst, qtyLimitBurst } from '../scenarios/shop/bursts.ts';
import { analyzeBursts, lostUpdateVerdict } from '../scenarios/shop/checkers/lost-update.ts';
import { parseBenchArgs } from './args.ts';

const { values } = parseBenchArgs('bench:lost-updates', 'npm run bench:lost-updates -- [--json FILE]', { options: { json: { type: 'string' } } });

/** The topology with CART_MODE set on every app node. */
function withCartMode(topology: Topology, mode: CartMode): Topology {
  return { ...topology, services: topology.services.map((s) => (s.kind === 'app' ? { ...s, environment: { ...s.environment, CART_MODE: mode } } : s)) };
}

const stores = [
  ['memory', 'memory-1'],
  ['file', 'file-1'],
  ['redis', 'redis-2'],
  ['postgres', 'postgres-2'],
] as const;

const rows: Record<string, string | number | boolean>[] = [];
for (const mode of ['session', 'atomic'] as const) {
  for (const [store, topology] of stores) {
    const result = await runScenario(
      { name: `${store}-${mode}`, summary: '', topology, expected: '', run: concurrentAdds, check: lostUpdateVerdict },
      { start: (t) => startLocalTopology(withCartMode(t, mode)) },
    );
    if (result.error) throw new Error(`${store} ${mode}: ${result.error}`);
    const { byName } = analyzeBursts(result.history);
    const row: Record<string, string | number | boolean> = { mode, store, verdict: result.observed };
    for (const c of concurrencyLevels) {
      const f = byName[levelBurst(c)]!;
      row[`lost at ${c}`] = `${f.lost}/${f.acknowledged} (${f.lostPercent}%)`;
    }
    const lines = byName[lineLimitBurst]!;
    const qty = byName[qtyLimitBurst]!;
    row['60 lines: acknowledged'] = lines.acknowledged;
    row['30×40 of one: acknowledged'] = qty.acknowledged;
    row['limits held'] = result.metrics.limitsHeld as boolean;
    rows.push(row);
    console.log(Object.values(row).join('  '));
  }
}
const header = Object.keys(rows[0]!);
console.log(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${header.map((h) => String(row[h])).join(' | ')} |`);
if (values.json) await writeFile(values.json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
await stopAllManaged();
