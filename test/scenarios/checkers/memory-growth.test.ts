import { describe, expect, it } from 'vitest';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { memoryGrowthVerdict, memoryProbes, type MemoryProbe } from '../../../scenarios/shop/checkers/memory-growth.ts';
import { history, type OpSketch } from '../../support/histories.ts';

describe('memoryGrowthVerdict', () => {
  const probe = (label: MemoryProbe, heapUsedBytes: number, sessionsHeld: number): OpSketch => ({
    process: 'probe',
    action: 'probe',
    args: { label },
    value: { heapUsedBytes, rssBytes: heapUsedBytes * 2, sessionsHeld, collected: true },
  });
  const visits: OpSketch = { process: 'visitors', action: shopActions.firstVisits, value: { ok: 1000, failed: 0 } };
  const expiredRead: OpSketch = { process: 'returning', action: shopActions.getPath, args: { path: '/healthz' }, servedBy: 'server_1', sessionState: 'lost' };
  const { before, afterVisits, afterExpiry, afterReads } = memoryProbes;

  describe('when expired sessions stay in the heap until read', () => {
    const ops = history(probe(before, 10_000_000, 0), visits, probe(afterVisits, 10_500_000, 1000), probe(afterExpiry, 10_500_000, 1000), expiredRead, expiredRead, probe(afterReads, 10_499_000, 998));
    it('says expired-kept-until-read', () => expect(memoryGrowthVerdict(ops).observed).toBe('expired-kept-until-read'));
    it('measures bytes per session', () =>
      expect(memoryGrowthVerdict(ops).metrics).toMatchObject({ sessionsCreated: 1000, heapBytesPerSession: 500, sessionsPerGiBOfHeap: 2147483, heldAfterExpiry: 1000, heldAfterReads: 998 }));
  });

  it('says expired-reclaimed when expired sessions left without being read', () => {
    const ops = history(probe(before, 10_000_000, 0), visits, probe(afterVisits, 10_500_000, 1000), probe(afterExpiry, 10_000_000, 0), expiredRead, probe(afterReads, 10_000_000, 0));
    expect(memoryGrowthVerdict(ops).observed).toBe('expired-reclaimed');
  });

  it('is inconclusive when a probe is missing', () => {
    expect(memoryGrowthVerdict(history(probe(before, 1, 0), visits)).observed).toBe('inconclusive');
  });
});
