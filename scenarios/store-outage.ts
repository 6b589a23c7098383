import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { outageVerdict } from './shop/checkers/outage.ts';
import { writeUnderFaults } from './shop/load.ts';

// A shared store that hangs (SIGSTOP: its port accepts, nothing answers) for 3 s under load: the
// nodes' 1 s command deadlines turn every request that needs it into a 503 instead of a hang, and
// they recover by themselves when it answers again. A 503 to an add is "unknown": the command may
// still run when Redis wakes up, so it is counted neither as kept nor as lost.
export const storeOutage: Scenario<ShopOp> = {
  name: 'store-outage',
  summary: 'redis-2: Redis hangs for 3 s under load: requests answer 503 within a second, none hangs, the nodes recover, no acknowledged write is lost.',
  topology: 'redis-2',
  expected: 'failed-fast-and-recovered',
  run: (lab) =>
    writeUnderFaults(lab, {
      devices: 8,
      durationMs: 5000,
      maxDurationMs: 8000,
      faults: [
        { atMs: 500, fault: 'pause', target: 'redis' },
        { atMs: 3500, fault: 'resume', target: 'redis' },
      ],
    }),
  check: outageVerdict,
};
