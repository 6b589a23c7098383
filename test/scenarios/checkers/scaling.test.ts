import { describe, expect, it } from 'vitest';
import { scaleInVerdict, scaleOutVerdict } from '../../../scenarios/shop/checkers/scaling.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

const scale = (action: 'scale-out' | 'scale-in', target = ''): OpSketch => ({ process: 'nemesis', action, args: { target } });
const as = (device: string, sketch: OpSketch): OpSketch => ({ ...sketch, process: device, session: `${device}-s` });

describe('scaleOutVerdict', () => {
  describe('when a user the hash sends to the new node arrives without a session there', () => {
    it('says moved-users-lost-carts, counts the moved, and points at the loss', () => {
      const verdict = scaleOutVerdict(
        history(
          as('user-01', add('apple', 'server_1', [['apple', 1]])),
          as('user-02', add('apple', 'server_2', [['apple', 1]])),
          scale('scale-out'),
          as('user-01', viewCart('server_3', [], { sessionState: 'lost' })),
          as('user-02', viewCart('server_2', [['apple', 1]])),
        ),
      );
      expect(verdict.observed).toBe('moved-users-lost-carts');
      expect(verdict.metrics).toMatchObject({ users: 2, moved: 1, movedPercent: 50, cartsLost: 1, movedTo: { server_3: 1 } });
      expect(verdict.firstBad).toMatchObject({ index: 3, node: 'server_3' });
    });
  });

  describe('when users move and find their carts (a shared store)', () => {
    it('says moved-carts-kept', () => {
      const verdict = scaleOutVerdict(history(as('user-01', add('apple', 'server_1', [['apple', 1]])), scale('scale-out'), as('user-01', viewCart('server_3', [['apple', 1]]))));
      expect(verdict.observed).toBe('moved-carts-kept');
    });
  });

  describe('when every user stays where they were', () => {
    it('says nobody-moved', () => {
      const verdict = scaleOutVerdict(history(as('user-01', add('apple', 'server_1', [['apple', 1]])), scale('scale-out'), as('user-01', viewCart('server_1', [['apple', 1]]))));
      expect(verdict.observed).toBe('nobody-moved');
    });
  });

  describe('when a user got no answer after the scale-out, or there was none', () => {
    it('says inconclusive', () => {
      const noAnswer = history(as('user-01', add('apple', 'server_1', [['apple', 1]])), scale('scale-out'), as('user-01', viewCart('server_1', [], { type: 'fail', servedBy: undefined, cart: undefined })));
      expect(scaleOutVerdict(noAnswer).observed).toBe('inconclusive');
      expect(scaleOutVerdict(history(as('user-01', add('apple', 'server_1', [['apple', 1]])))).observed).toBe('inconclusive');
    });
  });
});

describe('scaleInVerdict', () => {
  const joinedAndServed = [as('device-01', add('apple', 'server_1', [['apple', 1]])), scale('scale-out'), as('device-01', add('bread', 'server_3', [['apple', 1], ['bread', 1]]))];

  describe('when every request was answered while the node came and went', () => {
    it('says no-request-failed', () => {
      const verdict = scaleInVerdict(history(...joinedAndServed, scale('scale-in', 'server_3'), as('device-01', viewCart('server_1', [['apple', 1], ['bread', 1]]))));
      expect(verdict.observed).toBe('no-request-failed');
      expect(verdict.metrics).toMatchObject({ failedRequests: 0, servedByPassingNode: 1 });
    });
  });

  describe('when a request the removed node held got no answer', () => {
    it('says requests-failed and points at it', () => {
      const verdict = scaleInVerdict(
        history(...joinedAndServed, as('device-01', add('cheese', 'server_3', [], { type: 'info', servedBy: undefined, cart: undefined, status: 502 })), scale('scale-in', 'server_3 hard'), as('device-01', viewCart('server_1', [['apple', 1], ['bread', 1]]))),
      );
      expect(verdict.observed).toBe('requests-failed');
      expect(verdict.firstBad).toMatchObject({ index: 3, seen: '502' });
    });
  });

  describe('when the passing node never served a request', () => {
    it('says inconclusive', () => {
      const verdict = scaleInVerdict(history(as('device-01', add('apple', 'server_1', [['apple', 1]])), scale('scale-out'), scale('scale-in', 'server_3'), as('device-01', viewCart('server_1', [['apple', 1]]))));
      expect(verdict.observed).toBe('inconclusive');
    });
  });
});
