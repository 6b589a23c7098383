import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { concurrentAdds } from './shop/bursts.ts';
import { lostUpdateVerdict } from './shop/checkers/lost-update.ts';

// The fix in PostgreSQL: each cart change is one INSERT … ON CONFLICT DO UPDATE on the session's cart row.
export const atomicCartPostgres: Scenario<ShopOp> = {
  name: 'atomic-cart-postgres',
  summary: 'The same bursts on postgres-2 with atomic carts (the default): every acknowledged add is kept and the limits hold.',
  topology: 'postgres-2',
  expected: 'no-write-lost',
  run: concurrentAdds,
  check: lostUpdateVerdict,
};
