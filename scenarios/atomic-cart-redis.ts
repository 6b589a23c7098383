import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { concurrentAdds } from './shop/bursts.ts';
import { lostUpdateVerdict } from './shop/checkers/lost-update.ts';

// The fix: each cart change is one Lua script in Redis, keyed by the session id, limits inside it.
export const atomicCartRedis: Scenario<ShopOp> = {
  name: 'atomic-cart-redis',
  summary: 'The same bursts on redis-2 with atomic carts (the default): every acknowledged add is kept and the limits hold.',
  topology: 'redis-2',
  expected: 'no-write-lost',
  run: concurrentAdds,
  check: lostUpdateVerdict,
};
