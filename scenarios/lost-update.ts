import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { concurrentAdds } from './shop/bursts.ts';
import { lostUpdateVerdict } from './shop/checkers/lost-update.ts';

// express-session's model: each request loads the whole session, changes its own copy, and the
// last save wins. A browser's parallel requests (or a double click) are enough to lose an add
// that was answered 200, and a cart limit checked on a stale copy does not hold either.
export const lostUpdate: Scenario<ShopOp> = {
  name: 'lost-update',
  summary: 'Cart in the session object (CART_MODE=session), shared Redis: adds sent at once by one device are all answered 200, and some vanish.',
  topology: 'redis-2-cart-in-session',
  expected: 'writes-lost',
  run: concurrentAdds,
  check: lostUpdateVerdict,
};
