import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { concurrentAdds } from './shop/bursts.ts';
import { lostUpdateVerdict } from './shop/checkers/lost-update.ts';

// Each answer carries a whole new cookie made from the cart its request saw, and the browser keeps
// the last one to arrive: adds sent at once overwrite each other. With no server state there is
// nothing to change atomically, so no server-side fix exists in this strategy.
export const cookieLostUpdate: Scenario<ShopOp> = {
  name: 'cookie-lost-update',
  summary: 'cookie-2: adds sent at once by one device are all answered 200, and the last cookie to arrive wins.',
  topology: 'cookie-2',
  expected: 'writes-lost',
  run: concurrentAdds,
  check: lostUpdateVerdict,
};
