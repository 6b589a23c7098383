// The keep-alive race between nginx and a node: POSTs through nginx spaced at the node's idle
// timeout, so that nginx writes a request onto an idle upstream connection just as the node
// closes it. Before: the node closes idle connections after 5 s (Node's default) while nginx keeps
// them 30 s. After: the node keeps them 65 s (KEEP_ALIVE_TIMEOUT_SECONDS' default), longer than
// nginx. Prints the failed POSTs of each side (a 502 from nginx: it does not retry a POST).
//   npm run bench:keep-alive -- [--requests N]
import { setTimeout as sleep } from 'node:timers/promises';
import { Device } from '../runner/http-client.ts';
import { startLocalTopology } from '../runner/local/backend.ts';
import { stopAllManaged } from '../runner/processes.ts';
import { loadTopology, type Topology } from '../runner/topology.ts';
import { parseBenchArgs, usageError } from './args.ts';

const usage = 'npm run bench:keep-alive -- [--requests N]';
const { values } = parseBenchArgs('bench:keep-alive', usage, { options: { requests: { type: 'string', default: '21' } } });
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1 || requests > 200) usageError('bench:keep-alive', usage, `--requests must be a whole number from 1 to 200, not "${values.requests}"`);

function withNodeTimeout(topology: Topology, seconds: string | undefined): Topology {
  return { ...topology, services: topology.services.map((s) => (s.kind === 'app' && seconds ? { ...s, environment: { ...s.environment, KEEP_ALIVE_TIMEOUT_SECONDS: seconds } } : s)) };
}

/** Gaps from 40 ms before the node's 5 s timeout to 40 ms after it, evenly spread. */
const gapMs = (i: number) => 4960 + (requests === 1 ? 40 : (80 * i) / (requests - 1));

async function side(name: string, nodeTimeoutSeconds: string | undefined): Promise<{ name: string; failed: number; statuses: string }> {
  const running = await startLocalTopology(withNodeTimeout(loadTopology('memory-1'), nodeTimeoutSeconds));
  const device = new Device('keep-alive', running.balancerUrl);
  const statuses = new Map<string, number>();
  try {
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    for (let i = 0; i < requests; i++) {
      await sleep(gapMs(i));
      const answer = await device.post('/cart/items', { sku: 'apple', qty: 1 }).catch((err: unknown) => ({ status: String((err as { code?: string }).code ?? err) }));
      const key = String(answer.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      process.stdout.write(`  ${name}: gap ${gapMs(i).toFixed(0)} ms → ${key}\n`);
    }
  } finally {
    await device.close();
    await running.down();
  }
  const failed = [...statuses].filter(([status]) => status !== '200').reduce((sum, [, n]) => sum + n, 0);
  return { name, failed, statuses: [...statuses].map(([status, n]) => `${n}×${status}`).join(' ') };
}

const results = [await side('before (node 5 s, nginx 30 s)', '5'), await side('after (node 65 s, nginx 30 s)', undefined)];
console.log(`\n${requests} POSTs each, spaced 4.96–5.04 s apart:`);
for (const r of results) console.log(`  ${r.name}: ${r.failed} failed (${r.statuses})`);
await stopAllManaged();
