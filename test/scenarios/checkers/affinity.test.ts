import { describe, expect, it } from 'vitest';
import { affinityVerdict, failoverVerdict, firstVisitVerdict } from '../../../scenarios/shop/checkers/affinity.ts';
import { add, fault, history, viewCart, type OpSketch } from '../../support/histories.ts';

const on = (process: string, session: string): OpSketch => ({ process, session });

describe('affinityVerdict', () => {
  it('says sticky-kept when each device stays on its node, keeps its cart, and both nodes serve', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], on('a', 'sa')), add('apple', 'server_2', [['apple', 1]], on('b', 'sb')), viewCart('server_1', [['apple', 1]], on('a', 'sa')), viewCart('server_2', [['apple', 1]], on('b', 'sb')));
    expect(affinityVerdict(ops).observed).toBe('sticky-kept');
  });

  it('says one-node-only when every device lands on one node', () => {
    const ops = history(add('apple', 'server_2', [['apple', 1]], on('a', 'sa')), add('apple', 'server_2', [['apple', 1]], on('b', 'sb')), viewCart('server_2', [['apple', 1]], on('a', 'sa')));
    expect(affinityVerdict(ops).observed).toBe('one-node-only');
  });

  describe('when a device is served by two nodes', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], on('a', 'sa')), viewCart('server_2', [['apple', 1]], on('a', 'sa')), add('apple', 'server_2', [['apple', 1]], on('b', 'sb')));
    it('says affinity-broken', () => expect(affinityVerdict(ops).observed).toBe('affinity-broken'));
    it('names the hop', () => expect(affinityVerdict(ops).firstBad).toMatchObject({ index: 1, expected: "a's node server_1", seen: 'server_2' }));
  });

  it('says cart-lost when an answer lost the session', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]], on('a', 'sa')), viewCart('server_1', [], { ...on('a', 's2'), sessionState: 'lost' }), add('apple', 'server_2', [['apple', 1]], on('b', 'sb')));
    expect(affinityVerdict(ops).observed).toBe('cart-lost');
  });
});

describe('firstVisitVerdict', () => {
  const visit = (process: string, first: string, second: string, secondState: string) => [
    add('apple', first, [['apple', 1]], { process, sessionState: 'new' }),
    viewCart(second, secondState === 'lost' ? [] : [['apple', 1]], { process, sessionState: secondState }),
  ];

  describe('when some second requests find the first session lost', () => {
    const ops = history(...visit('v1', 'server_1', 'server_1', 'existing'), ...visit('v2', 'server_2', 'server_1', 'lost'));
    it('says first-cart-lost', () => expect(firstVisitVerdict(ops).observed).toBe('first-cart-lost'));
    it('counts one of two visitors', () => expect(firstVisitVerdict(ops).metrics).toMatchObject({ visitors: 2, firstCartLost: 1, firstCartLostPercent: 50 }));
  });

  it('says first-cart-kept when every second request found the session', () => {
    expect(firstVisitVerdict(history(...visit('v1', 'server_1', 'server_1', 'existing'))).observed).toBe('first-cart-kept');
  });
});

describe('failoverVerdict', () => {
  const before = [add('apple', 'server_1', [['apple', 1]], on('a', 'sa')), add('apple', 'server_2', [['apple', 1]], on('b', 'sb'))];
  const lostOn = (node: string, session: string) => viewCart(node, [], { ...on('a', session), sessionState: 'lost' });

  it('says lost-on-move-and-back when the moved device loses on the way out and on the way back, and the other nothing', () => {
    const ops = history(...before, fault('kill', 'server_1'), lostOn('server_2', 'sa2'), viewCart('server_2', [['apple', 1]], on('b', 'sb')), fault('start', 'server_1'), lostOn('server_1', 'sa3'), viewCart('server_2', [['apple', 1]], on('b', 'sb')));
    expect(failoverVerdict(ops).observed).toBe('lost-on-move-and-back');
  });

  it('says survivors-lost when a device of the surviving node loses its session', () => {
    const ops = history(...before, fault('kill', 'server_1'), lostOn('server_2', 'sa2'), viewCart('server_2', [], { ...on('b', 'sb2'), sessionState: 'lost' }), fault('start', 'server_1'), lostOn('server_1', 'sa3'));
    expect(failoverVerdict(ops).observed).toBe('survivors-lost');
  });

  it('says kept when the moved device keeps its session (a shared store)', () => {
    const ops = history(...before, fault('kill', 'server_1'), viewCart('server_2', [['apple', 1]], on('a', 'sa')), fault('start', 'server_1'), viewCart('server_1', [['apple', 1]], on('a', 'sa')));
    expect(failoverVerdict(ops).observed).toBe('kept');
  });

  it('is inconclusive when every device sat on the killed node: nothing shows what the survivors kept', () => {
    // All devices from one address (the compose backend's bridge gateway) hash to one node.
    const allOnOne = [add('apple', 'server_1', [['apple', 1]], on('a', 'sa')), add('apple', 'server_1', [['apple', 1]], on('b', 'sb'))];
    const ops = history(...allOnOne, fault('kill', 'server_1'), lostOn('server_2', 'sa2'), fault('start', 'server_1'), lostOn('server_1', 'sa3'));
    expect(failoverVerdict(ops)).toMatchObject({ observed: 'inconclusive', metrics: { movedDevices: 2, pinnedDevices: 0 } });
  });

  it('is inconclusive without the node coming back', () => {
    expect(failoverVerdict(history(...before, fault('kill', 'server_1'), lostOn('server_2', 'sa2'))).observed).toBe('inconclusive');
  });
});
