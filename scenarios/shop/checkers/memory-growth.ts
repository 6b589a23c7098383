// What sessions cost a node's heap, and whether expired ones are given back, from the node's
// own /debug/memory figures recorded as labelled probes.
import { enginePrincipals } from '../../../runner/history.ts';
import type { Verdict } from '../../../runner/scenario.ts';
import { shopActions, type ShopOp } from '../actions.ts';

type Op = ShopOp;

/** The labels of the four /debug/memory probes, in the order a run takes them. */
export const memoryProbes = {
  before: 'before',
  afterVisits: 'after-visits',
  afterExpiry: 'after-expiry',
  afterReads: 'after-reads',
} as const;

export type MemoryProbe = (typeof memoryProbes)[keyof typeof memoryProbes];

/** What GET /debug/memory answers. */
export interface MemoryFigures {
  heapUsedBytes: number;
  rssBytes: number;
  sessionsHeld: number | null;
  collected: boolean;
}

const GiB = 1024 ** 3;

/** A probe's figures in words, for the report. */
export function describeMemory(body: unknown): string {
  const figures = body as Partial<MemoryFigures> | undefined;
  const heap = figures?.heapUsedBytes !== undefined ? `heap ${(figures.heapUsedBytes / 1024 ** 2).toFixed(1)} MiB` : '';
  const held = figures?.sessionsHeld != null ? `${figures.sessionsHeld} sessions held` : '';
  return [heap, held].filter(Boolean).join(', ');
}

function probe(history: readonly Op[], label: MemoryProbe): MemoryFigures | undefined {
  const op = history.find((o) => o.process === enginePrincipals.probe && o.args?.label === label && o.type === 'ok');
  return op?.value as MemoryFigures | undefined;
}

/**
 * Probes labelled before, after-visits, after-expiry and after-reads; a visit op with the number
 * of sessions created; device ops that read expired sessions between the last two probes.
 * expired-kept-until-read: the sessions stayed in the heap past their expiry and exactly the ones
 * read were dropped. expired-reclaimed: expired sessions left the heap without being read.
 */
export function memoryGrowthVerdict(history: readonly Op[]): Verdict {
  const before = probe(history, memoryProbes.before);
  const afterVisits = probe(history, memoryProbes.afterVisits);
  const afterExpiry = probe(history, memoryProbes.afterExpiry);
  const afterReads = probe(history, memoryProbes.afterReads);
  const visit = history.find((op) => op.action === shopActions.firstVisits);
  const created = (visit?.value as { ok?: number } | undefined)?.ok ?? 0;
  const readsOp = history.filter((op) => op.action === shopActions.getPath && op.type === 'ok').length;
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
