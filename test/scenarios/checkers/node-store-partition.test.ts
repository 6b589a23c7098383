import { describe, expect, it } from 'vitest';
import { nodeStorePartitionVerdict } from '../../../scenarios/shop/checkers/node-store-partition.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

const at = (startedMs: number, endedMs: number): OpSketch => ({ startedMs, endedMs });
const cut: OpSketch = { process: 'nemesis', action: 'partition', args: { target: 'server_1 | redis' }, request: 'partition server_1 | redis', ...at(100, 110) };
const heal: OpSketch = { process: 'nemesis', action: 'heal', args: { target: '' }, request: 'heal', ...at(4000, 4010) };
const before = add('apple', 'server_1', [['apple', 1]], at(0, 5));
const refusedView = viewCart('server_1', [], { ...at(200, 1200), type: 'fail', status: 503, cart: undefined, sessionState: 'unknown' });
const refusedAdd = add('bread', 'server_1', [], { ...at(1300, 2300), type: 'info', status: 503, cart: undefined, sessionState: 'unknown' });
const passedOnView = viewCart('server_2', [['apple', 1]], { ...at(200, 1205), upstreamTries: 2 });
const backOnServer1 = add('tea', 'server_1', [['apple', 1], ['tea', 1]], at(4100, 4110));

describe('nodeStorePartitionVerdict', () => {
  it('says users-see-503, pointing at it, when a cart view answered 503 during the partition', () => {
    const verdict = nodeStorePartitionVerdict(history(before, cut, refusedView, refusedAdd, heal, backOnServer1));
    expect(verdict).toMatchObject({ observed: 'users-see-503', metrics: { requestsDuringPartition: 2, answeredByCutNode: 2, reads503: 1, writes503: 1, passedOnByBalancer: 0, slowestMs: 1000, msUntilCutNodeAnsweredAfterHeal: 100 } });
    expect(verdict.firstBad?.index).toBe(2);
  });

  it('says reads-rerouted when nginx passed every refused view on, even if an add still answered 503', () => {
    const verdict = nodeStorePartitionVerdict(history(before, cut, passedOnView, refusedAdd, heal, backOnServer1));
    expect(verdict).toMatchObject({ observed: 'reads-rerouted', metrics: { reads503: 0, writes503: 1, passedOnByBalancer: 1 } });
  });

  it('says not-recovered when the cut node served nothing after the heal', () => {
    const afterOnServer2 = add('tea', 'server_2', [['apple', 1], ['tea', 1]], at(4100, 4110));
    expect(nodeStorePartitionVerdict(history(before, cut, passedOnView, heal, afterOnServer2)).observed).toBe('not-recovered');
  });

  it('says writes-lost when an acknowledged add is missing afterwards', () => {
    const forgetful = add('tea', 'server_1', [['tea', 1]], at(4100, 4110));
    expect(nodeStorePartitionVerdict(history(before, cut, passedOnView, heal, forgetful)).observed).toBe('writes-lost');
  });

  it('is inconclusive without a partition and its heal', () => {
    expect(nodeStorePartitionVerdict(history(before, cut, refusedView)).observed).toBe('inconclusive');
  });
});
