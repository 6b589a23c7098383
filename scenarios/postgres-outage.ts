import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { outageVerdict } from './shop/checkers/outage.ts';
import { writeUnderFaults } from './shop/load.ts';

// PostgreSQL stopped for 3 s under load (a clean shutdown, so its data is kept): connection and
// query deadlines make every request that needs it a 503 within a second, and the pool opens new
// connections when it is back.
export const postgresOutage: Scenario<ShopOp> = {
  name: 'postgres-outage',
  summary: 'postgres-2: PostgreSQL stops for 3 s under load: requests answer 503 within a second, none hangs, the nodes recover, no acknowledged write is lost.',
  topology: 'postgres-2',
  expected: 'failed-fast-and-recovered',
  run: (lab) =>
    writeUnderFaults(lab, {
      devices: 8,
      durationMs: 5500,
      maxDurationMs: 10_000,
      faults: [
        { atMs: 500, fault: 'stop', target: 'postgres' },
        { atMs: 3500, fault: 'start', target: 'postgres' },
      ],
    }),
  check: outageVerdict,
};
