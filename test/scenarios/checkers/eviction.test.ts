import { describe, expect, it } from 'vitest';
import { cacheStatsLabel, evictionVerdict } from '../../../scenarios/shop/checkers/eviction.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

const stats = (evictedKeys: number, policy = 'allkeys-lru'): OpSketch => ({
  process: 'probe',
  action: 'probe',
  args: { service: 'server_1', path: '/debug/cache', label: cacheStatsLabel },
  value: { node: 'server_1', cache: { target: 'redis://redis:6379', policy, maxmemoryBytes: 4194304, usedMemoryBytes: 4100000, evictedKeys } },
});
const crawled = (pages: number): OpSketch => ({ process: 'crawler', action: 'crawl', args: { pages } });
const user = (name: string, sketch: OpSketch): OpSketch => ({ ...sketch, process: name });

describe('evictionVerdict', () => {
  describe('when a user’s session was lost while Redis evicted keys', () => {
    it('says sessions-evicted, counts the users, and points at the loss', () => {
      const verdict = evictionVerdict(
        history(
          user('user-01', add('apple', 'server_1', [['apple', 1]])),
          user('user-02', add('apple', 'server_2', [['apple', 1]])),
          crawled(500),
          user('user-01', add('bread', 'server_2', [['bread', 1]], { sessionState: 'lost' })),
          user('user-02', viewCart('server_1', [['apple', 1]])),
          stats(480),
        ),
      );
      expect(verdict.observed).toBe('sessions-evicted');
      expect(verdict.metrics).toMatchObject({ users: 2, usersWhoLostTheirSession: 1, pagesCrawled: 500, cacheEvictedKeys: 480 });
      expect(verdict.firstBad).toMatchObject({ index: 3, process: 'user-01' });
    });
  });

  describe('when sessions were lost but Redis evicted nothing', () => {
    it('says cart-lost: eviction is not what happened', () => {
      const verdict = evictionVerdict(history(user('user-01', add('apple', 'server_1', [['apple', 1]])), user('user-01', viewCart('server_2', [])), stats(0)));
      expect(verdict.observed).toBe('cart-lost');
    });
  });

  describe('when nothing was lost but adds answered 503', () => {
    it('says writes-refused and points at the first refusal', () => {
      const verdict = evictionVerdict(
        history(user('user-01', add('apple', 'server_1', [['apple', 1]])), user('user-01', add('bread', 'server_2', [], { type: 'info', status: 503, cart: undefined })), user('user-01', viewCart('server_1', [['apple', 1]])), stats(0, 'noeviction')),
      );
      expect(verdict.observed).toBe('writes-refused');
      expect(verdict.firstBad).toMatchObject({ index: 1, seen: '503' });
    });
  });

  describe('when nothing was lost or refused and the cache churned', () => {
    it('says sessions-kept', () => {
      const verdict = evictionVerdict(history(user('user-01', add('apple', 'server_1', [['apple', 1]])), crawled(900), user('user-01', viewCart('server_2', [['apple', 1]])), stats(850)));
      expect(verdict.observed).toBe('sessions-kept');
    });
  });

  describe('when the cache never filled', () => {
    it('says inconclusive, as it does without the cache’s stats', () => {
      const kept = [user('user-01', add('apple', 'server_1', [['apple', 1]])), user('user-01', viewCart('server_2', [['apple', 1]]))];
      expect(evictionVerdict(history(...kept, stats(0))).observed).toBe('inconclusive');
      expect(evictionVerdict(history(...kept)).observed).toBe('inconclusive');
    });
  });
});
