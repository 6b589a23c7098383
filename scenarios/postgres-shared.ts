import { cartVerdict } from './shop/checkers/cart.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { buildCartAcrossRestart } from './shop/steps.ts';

export const postgresShared: Scenario<ShopOp> = {
  name: 'postgres-shared',
  summary: 'Two nodes sharing PostgreSQL, round robin, server_1 restarted midway: no request sees a lost session or a wrong cart.',
  topology: 'postgres-2',
  expected: 'cart-kept',
  run: buildCartAcrossRestart,
  check: cartVerdict,
};
