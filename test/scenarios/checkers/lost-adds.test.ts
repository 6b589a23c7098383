import { describe, expect, it } from 'vitest';
import { lostAdds } from '../../../scenarios/shop/checkers/lost-adds.ts';
import { storeCrashVerdict } from '../../../scenarios/shop/checkers/store-crash.ts';
import { add, fault, history } from '../../support/histories.ts';

describe('lostAdds', () => {
  it('names the latest acknowledged adds of each sku that the cart falls short of', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), add('apple', 'server_1', [['apple', 2]]), add('bread', 'server_1', [['apple', 2], ['bread', 1]]));
    expect(lostAdds(ops, [{ sku: 'apple', qty: 1 }]).map((op) => op.index)).toEqual([1, 2]);
    expect(lostAdds(ops, [{ sku: 'apple', qty: 2 }, { sku: 'bread', qty: 1 }])).toEqual([]);
  });

  it('is what a store-crash verdict marks as lost writes', () => {
    const ops = history(add('apple', 'server_1', [['apple', 1]]), add('bread', 'server_2', [['apple', 1], ['bread', 1]]), fault('kill', 'redis'), add('tea', 'server_1', [['tea', 1]]));
    expect(storeCrashVerdict(ops)).toMatchObject({ observed: 'writes-lost', lostWrites: [0, 1] });
  });
});
