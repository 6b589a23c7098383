import { describe, expect, it } from 'vitest';
import type { ShardCount } from '../../../app/contract.ts';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { describeShards, shardFailoverVerdict, shardProbeLabels } from '../../../scenarios/shop/checkers/shard-failover.ts';
import { add, fault, history, viewCart, type OpSketch } from '../../support/histories.ts';

const shard = (primary: string, replica: string, first: number, last: number, sessions: number | null = 1): ShardCount => ({ primary, replicas: [replica], slots: [[first, last]], sessions });
const shardsBefore = [shard('redis-1', 'redis-4', 0, 5460), shard('redis-2', 'redis-5', 5461, 16383)];
const probe = (label: string, shards: ShardCount[]): OpSketch => ({ process: 'probe', action: 'probe', args: { service: 'server_1', path: '/debug/sessions', label }, value: { shards, storeLength: 1 } });
const slotOf = (device: string, slot: number): OpSketch => ({ process: device, action: shopActions.sessionSlot, args: { slot } });
const as = (device: string, sketch: OpSketch, at?: number): OpSketch => ({ ...sketch, process: device, session: `${device}-s`, ...(at === undefined ? {} : { startedMs: at, endedMs: at + 1 }) });
const refused = (sku: string, servedBy: string): OpSketch => add(sku, servedBy, [], { type: 'info', status: 503, cart: undefined });

// device-01's session hashes to slot 100 (redis-1's shard), device-02's to 9000 (redis-2's).
const placed = [as('device-01', add('apple', 'server_1', [['apple', 1]])), slotOf('device-01', 100), as('device-02', add('apple', 'server_2', [['apple', 1]])), slotOf('device-02', 9000), probe(shardProbeLabels.before, shardsBefore)];

describe('shardFailoverVerdict', () => {
  describe('when only the sessions on the killed primary’s slots fail, and come back', () => {
    it('says only-its-shard-failed, counts each side, and rings the first failure', () => {
      const verdict = shardFailoverVerdict(
        history(
          ...placed,
          fault('kill', 'redis-1'),
          probe(shardProbeLabels.during, [shard('redis-1', 'redis-4', 0, 5460, null), shard('redis-2', 'redis-5', 5461, 16383)]),
          as('device-01', refused('bread', 'server_2')),
          as('device-02', add('bread', 'server_1', [['apple', 1], ['bread', 1]])),
          as('device-01', add('bread', 'server_1', [['apple', 1], ['bread', 1]])),
          probe(shardProbeLabels.after, [shard('redis-4', 'redis-1', 0, 5460), shard('redis-2', 'redis-5', 5461, 16383)]),
        ),
      );
      expect(verdict.observed).toBe('only-its-shard-failed');
      expect(verdict.metrics).toMatchObject({ killed: 'redis-1', devices: 2, devicesOnKilledShard: 1, devicesOnKilledShardThatFailed: 1, failuresOnOtherShards: 0, addsLost: 0, shardsCountedWhileDown: 1, promotedPrimary: 'redis-4' });
      expect(verdict.firstBad).toMatchObject({ index: 7, process: 'device-01' });
    });
  });

  describe('when a device whose session is on another shard fails too', () => {
    it('says other-shards-failed and points at it', () => {
      const verdict = shardFailoverVerdict(history(...placed, fault('kill', 'redis-1'), as('device-01', refused('bread', 'server_2')), as('device-02', refused('bread', 'server_1')), as('device-01', add('bread', 'server_1', [['apple', 1], ['bread', 1]]))));
      expect(verdict.observed).toBe('other-shards-failed');
      expect(verdict.firstBad).toMatchObject({ index: 7, process: 'device-02' });
    });
  });

  describe('when a device on the killed shard is never served again', () => {
    it('says shard-not-recovered', () => {
      const verdict = shardFailoverVerdict(history(...placed, fault('kill', 'redis-1'), as('device-01', refused('bread', 'server_2')), as('device-02', add('bread', 'server_1', [['apple', 1], ['bread', 1]]))));
      expect(verdict.observed).toBe('shard-not-recovered');
    });
  });

  describe('when the promoted replica lacks an add acknowledged well before the kill', () => {
    it('says lost-beyond-lag; one acknowledged within the replication slack may be gone', () => {
      const early = [as('device-01', add('apple', 'server_1', [['apple', 1]]), 0), slotOf('device-01', 100), probe(shardProbeLabels.before, shardsBefore)];
      const lostEarly = history(...early, { ...fault('kill', 'redis-1'), startedMs: 500, endedMs: 501 }, as('device-01', refused('bread', 'server_2'), 600), as('device-01', viewCart('server_1', [], { sessionState: 'lost' }), 3000));
      const verdict = shardFailoverVerdict(lostEarly);
      expect(verdict.observed).toBe('lost-beyond-lag');
      expect(verdict.metrics).toMatchObject({ addsLost: 1, lostBeyondLag: 1, sessionsLost: 1 });
      expect(verdict.lostWrites).toEqual([0]);

      const late = [as('device-01', add('apple', 'server_1', [['apple', 1]]), 450), slotOf('device-01', 100), probe(shardProbeLabels.before, shardsBefore)];
      const lostLate = history(...late, { ...fault('kill', 'redis-1'), startedMs: 500, endedMs: 501 }, as('device-01', refused('bread', 'server_2'), 600), as('device-01', viewCart('server_1', [], { sessionState: 'lost' }), 3000));
      expect(shardFailoverVerdict(lostLate)).toMatchObject({ observed: 'only-its-shard-failed', metrics: { addsLost: 1, lostBeyondLag: 0 } });
    });
  });

  describe('when nothing failed, or the run cannot be judged', () => {
    it('says no-outage-seen, or inconclusive without a slot map or a kill of a primary', () => {
      expect(shardFailoverVerdict(history(...placed, fault('kill', 'redis-1'), as('device-01', add('bread', 'server_1', [['apple', 1], ['bread', 1]])))).observed).toBe('no-outage-seen');
      expect(shardFailoverVerdict(history(...placed, fault('kill', 'redis-4'))).observed).toBe('inconclusive');
      expect(shardFailoverVerdict(history(as('device-01', add('apple', 'server_1', [['apple', 1]])), fault('kill', 'redis-1'))).observed).toBe('inconclusive');
    });
  });
});

describe('describeShards', () => {
  it('says each shard’s primary, slots and count, and what connect-redis’s length() says', () => {
    expect(describeShards({ shards: [{ ...shard('redis-1', 'redis-4', 0, 5460, null), error: 'connect ECONNREFUSED' }, shard('redis-2', 'redis-5', 5461, 16383, 7)], storeLength: 3 })).toBe(
      'redis-1 (0-5460): no answer (connect ECONNREFUSED); redis-2 (5461-16383): 7; connect-redis length() says 3',
    );
    expect(describeShards({ sessions: 4 })).toBe('no shards (not a cluster)');
  });
});
