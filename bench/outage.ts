// What a request costs while the shared store is down: it must fail fast (503), not hang.
import { Device } from '../runner/http-client.ts';
import type { RunningTopology } from '../runner/backend.ts';
import type { BenchSettings } from './settings.ts';
import { median } from '../lib/stats.ts';

export interface OutageResult {
  store: string;
  requests: number;
  statuses: string;
  p50Ms: number;
  maxMs: number;
  recoveredWithinMs: number;
}


export async function measureOutage(store: 'redis' | 'postgres', running: RunningTopology, settings: BenchSettings): Promise<OutageResult> {
  const device = new Device('outage', running.balancerUrl, { timeoutMs: 10_000 });
  try {
    await device.post('/cart/items', { sku: 'apple', qty: 1 });
    await running.service(store).stop();
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < settings.outageRequests; i++) {
      const startedAt = performance.now();
      const answer = await device.get('/cart');
      latencies.push(performance.now() - startedAt);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    const restartedAt = performance.now();
    await running.service(store).start();
    while ((await device.get('/healthz')).status !== 200 || (await device.get('/healthz')).status !== 200) {
      if (performance.now() - restartedAt > 30_000) throw new Error(`${store}: the nodes did not recover within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      store,
      requests: latencies.length,
      statuses: [...statuses].map(([status, count]) => `${count}×${status}`).join(' '),
      p50Ms: Math.round(median(latencies) * 10) / 10,
      maxMs: Math.round(Math.max(...latencies) * 10) / 10,
      recoveredWithinMs: Math.round(performance.now() - restartedAt),
    };
  } finally {
    await device.close();
  }
}
