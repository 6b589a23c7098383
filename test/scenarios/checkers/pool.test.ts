import { describe, expect, it } from 'vitest';
import { poolVerdict } from '../../../scenarios/shop/checkers/pool.ts';
import { add, history, type OpSketch } from '../../support/histories.ts';

const joined: OpSketch = { process: 'nemesis', action: 'scale-out', args: { target: '' } };
const refused = (node: string): OpSketch => add('bread', node, [], { type: 'info', status: 503, cart: undefined, seen: 'the session store is not answering' });

describe('poolVerdict', () => {
  describe('when only the node that joined answered 503 after it joined', () => {
    it('says pool-exhausted and points at its first 503', () => {
      const verdict = poolVerdict(history(add('apple', 'server_1', [['apple', 1]]), add('apple', 'server_2', [['apple', 1]], { process: 'phone' }), joined, refused('server_3'), add('cheese', 'server_1', [['apple', 1], ['cheese', 1]])));
      expect(verdict.observed).toBe('pool-exhausted');
      expect(verdict.firstBad).toMatchObject({ index: 3, node: 'server_3' });
      expect(verdict.metrics).toMatchObject({ failedAfter: 1, failedOnNewNode: 1 });
    });
  });

  describe('when the new node answered before the scale-out’s own op was recorded (nginx reloaded first)', () => {
    it('counts that answer after the scale-out began', () => {
      const verdict = poolVerdict(history(add('apple', 'server_1', [['apple', 1]]), { ...refused('server_3'), startedMs: 1.5, endedMs: 1.8 }, { ...joined, startedMs: 1.2 }));
      expect(verdict.observed).toBe('pool-exhausted');
      expect(verdict.metrics).toMatchObject({ failedOnNewNode: 1 });
    });
  });

  describe('when every answer after it was 2xx and the new node served', () => {
    it('says no-request-failed', () => {
      const verdict = poolVerdict(history(add('apple', 'server_1', [['apple', 1]]), joined, add('bread', 'server_3', [['apple', 1], ['bread', 1]])));
      expect(verdict.observed).toBe('no-request-failed');
    });
  });

  describe('when an old node’s pool lost the race for the last connections', () => {
    it('says pool-exhausted all the same, and counts the newcomer’s failures apart', () => {
      const verdict = poolVerdict(history(add('apple', 'server_1', [['apple', 1]]), joined, refused('server_3'), refused('server_1')));
      expect(verdict.observed).toBe('pool-exhausted');
      expect(verdict.metrics).toMatchObject({ failedAfter: 2, failedOnNewNode: 1 });
    });
  });

  describe('when answers failed before the scale-out too', () => {
    it('says inconclusive: two nodes did not fit either', () => {
      const verdict = poolVerdict(history(refused('server_1'), add('apple', 'server_1', [['apple', 1]]), joined, refused('server_3')));
      expect(verdict.observed).toBe('inconclusive');
    });
  });
});
