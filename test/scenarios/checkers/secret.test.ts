import { describe, expect, it } from 'vitest';
import { hopVerdict } from '../../../scenarios/shop/checkers/secret.ts';
import { add, history, viewCart } from '../../support/histories.ts';

const lost = (node: string) => viewCart(node, [], { sessionState: 'lost' });

describe('hopVerdict', () => {
  it('says lost-on-every-hop when every answer after a change of node said lost', () => {
    expect(hopVerdict(history(add('apple', 'server_1', [['apple', 1]]), lost('server_2'), lost('server_1'))).observed).toBe('lost-on-every-hop');
  });

  it('says kept-across-hops when no hop lost the session', () => {
    expect(hopVerdict(history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_2', [['apple', 1]]), viewCart('server_1', [['apple', 1]]))).observed).toBe('kept-across-hops');
  });

  it('says some-hops-lost when only some did', () => {
    expect(hopVerdict(history(add('apple', 'server_1', [['apple', 1]]), viewCart('server_2', [['apple', 1]]), lost('server_1'))).observed).toBe('some-hops-lost');
  });

  it('is inconclusive with fewer than two hops', () => {
    expect(hopVerdict(history(add('apple', 'server_1', [['apple', 1]]), lost('server_2'))).observed).toBe('inconclusive');
  });
});
