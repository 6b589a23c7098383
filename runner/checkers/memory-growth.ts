// What sessions cost a node's heap, and whether expired ones are given back, from the node's
// own /debug/memory figures recorded as labelled probes.
import type { Op } from '../history.ts';
import type { Verdict } from '../scenario.ts';

interface MemoryFigures {
  heapUsedBytes: number;
  rssBytes: number;
  sessionsHeld: number | null;
  collected: boolean;
}

const GiB = 1024 ** 3;

function probe(history: readonly Op[], label: string): MemoryFigures | undefined {
  const op = history.find((o) => o.process === 'probe' && o.args?.label === label && o.type === 'ok');
  return op?.value as MemoryFigures | undefined;
}

/**
 * Probes labelled before, after-visits, after-expiry and after-reads; a visit op with the number
 * of sessions created; device ops that read expired sessions between the last two probes.
 * expired-kept-until-read: the sessions stayed in the heap past their expiry and exactly the ones
 * read were dropped. expired-reclaimed: expired sessions left the heap without being read.
 */
export function memoryGrowth(history: readonly Op[]): Verdict {
  const before = probe(history, 'before');
  const afterVisits = probe(history, 'after-visits');
  const afterExpiry = probe(history, 'after-expiry');
  const afterReads = probe(history, 'after-reads');
  const visit = history.find((op) => op.action === 'visit');
  const created = (visit?.value as { ok?: number } | undefined)?.ok ?? 0;
  const readsOp = history.filter((op) => op.action === 'get' && op.type === 'ok').length;
  if (!before || !afterVisits || !afterExpiry || !afterReads || created === 0 || before.sessionsHeld === null) {
    return { observed: 'inconclusive', metrics: { sessionsCreated: created } };
  }
  const heapBytesPerSession = Math.round((afterVisits.heapUsedBytes - before.heapUsedBytes) / created);
  const metrics = {
    sessionsCreated: created,
    heapBytesPerSession,
    rssBytesPerSession: Math.round((afterVisits.rssBytes - before.rssBytes) / created),
    sessionsPerGiBOfHeap: heapBytesPerSession > 0 ? Math.floor(GiB / heapBytesPerSession) : null,
    heapMiBAfterVisits: Math.round((afterVisits.heapUsedBytes / 1024 ** 2) * 10) / 10,
    heldAfterVisits: afterVisits.sessionsHeld,
    heldAfterExpiry: afterExpiry.sessionsHeld,
    expiredRead: readsOp,
    heldAfterReads: afterReads.sessionsHeld,
    gcBeforeMeasuring: afterVisits.collected,
  };
  const held = (f: MemoryFigures) => f.sessionsHeld ?? 0;
  if (held(afterVisits) - held(before) < created) return { observed: 'inconclusive', metrics };
  if (held(afterExpiry) < held(afterVisits)) return { observed: 'expired-reclaimed', metrics };
  if (readsOp > 0 && held(afterReads) === held(afterExpiry) - readsOp) return { observed: 'expired-kept-until-read', metrics };
  return { observed: 'inconclusive', metrics };
}
