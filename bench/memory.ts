// What MemoryStore sessions cost a node: heap and RSS bytes per session at each count, measured
// by the node itself after a full GC (/debug/memory), and whether expired sessions are given back.
import autocannon from 'autocannon';
import { startLocalTopology } from '../runner/local/backend.ts';
import { appServices, loadTopology } from '../runner/topology.ts';
import type { BenchSettings } from './settings.ts';

interface Figures {
  heapUsedBytes: number;
  rssBytes: number;
  sessionsHeld: number;
}

export interface MemoryResult {
  sessions: number;
  heapBytesPerSession: number;
  rssBytesPerSession: number;
  sessionsPerGiBOfHeap: number;
}

export interface ReclaimResult {
  sessions: number;
  ttlSeconds: number;
  heldAfterExpiry: number;
  heapBytesAfterExpiry: number;
  heapBytesBefore: number;
  reclaimed: boolean;
}

/** First visits without a cookie: each request makes one new session with a one-line cart. */
async function visit(url: string, count: number, connections: number): Promise<void> {
  // amount is the bound here (autocannon then ignores duration); the node answers thousands a second.
  const result = await autocannon({
    url: `${url}/cart/items`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'apple', qty: 1 }),
    connections,
    amount: count,
  });
  if (result.non2xx + result.errors > 0) throw new Error(`creating ${count} sessions: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
}

export async function measureMemory(settings: BenchSettings): Promise<{ sizes: MemoryResult[]; reclaim: ReclaimResult }> {
  const sizes: MemoryResult[] = [];
  {
    const running = await startLocalTopology(loadTopology('memory-1'));
    try {
      const probe = async () => (await running.probe('server_1', '/debug/memory')).body as Figures;
      const empty = await probe();
      for (const target of settings.memorySessionCounts) {
        const now = await probe();
        await visit(running.balancerUrl, target - now.sessionsHeld, settings.connections);
        const after = await probe();
        const added = after.sessionsHeld - empty.sessionsHeld;
        const heapBytesPerSession = Math.round((after.heapUsedBytes - empty.heapUsedBytes) / added);
        sizes.push({
          sessions: after.sessionsHeld,
          heapBytesPerSession,
          rssBytesPerSession: Math.round((after.rssBytes - empty.rssBytes) / added),
          sessionsPerGiBOfHeap: Math.floor(1024 ** 3 / heapBytesPerSession),
        });
      }
    } finally {
      await running.down();
    }
  }
  const running = await startLocalTopology(loadTopology('memory-1-short-ttl'));
  try {
    const ttlSeconds = Number(appServices(running.topology)[0]!.environment.SESSION_TTL_SECONDS);
    const probe = async () => (await running.probe('server_1', '/debug/memory')).body as Figures;
    const before = await probe();
    const sessions = settings.memorySessionCounts[0]!;
    await visit(running.balancerUrl, sessions, settings.connections);
    await new Promise((resolve) => setTimeout(resolve, ttlSeconds * 1000 + 500));
    const after = await probe();
    return {
      sizes,
      reclaim: {
        sessions,
        ttlSeconds,
        heldAfterExpiry: after.sessionsHeld,
        heapBytesBefore: before.heapUsedBytes,
        heapBytesAfterExpiry: after.heapUsedBytes,
        reclaimed: after.sessionsHeld < sessions,
      },
    };
  } finally {
    await running.down();
  }
}
