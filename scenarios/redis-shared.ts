import { cartVerdict } from './shop/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { buildCartAcrossRestart } from './shop/steps.ts';

export const redisShared: Scenario<ShopOp> = {
  name: 'redis-shared',
  summary: 'Two nodes sharing Redis, round robin, server_1 restarted midway: no request sees a lost session or a wrong cart.',
  topology: 'redis-2',
  expected: 'cart-kept',
  run: buildCartAcrossRestart,
  check: cartVerdict,
};
