import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { outageVerdict } from './shop/checkers/outage.ts';
import { writeUnderFaults } from './shop/load.ts';

// server_1 cut off from PostgreSQL for 3 s under load, server_2 not. Unlike a stopped server, a
// partition refuses nothing: connects and queries just get no answer, and the pooled connections
// stay open across it. The node's connection and query deadlines must still make every request a
// 503 within a second (never a 500, never a hang), and the pool must work again after the heal.
export const postgresPartition: Scenario<ShopOp> = {
  name: 'postgres-partition',
  summary: 'postgres-2: server_1 is cut off from PostgreSQL for 3 s under load: its requests answer 503 within a second, none hangs, it recovers after the heal, no acknowledged write is lost.',
  topology: 'postgres-2',
  expected: 'failed-fast-and-recovered',
  needs: ['network-faults'],
  run: (lab) =>
    writeUnderFaults(lab, {
      devices: 8,
      durationMs: 5500,
      maxDurationMs: 20_000,
      backWhenServedBy: 'server_1',
      faults: [
        { atMs: 500, fault: 'partition', target: 'server_1 | postgres' },
        { atMs: 3500, fault: 'heal', target: '' },
      ],
    }),
  check: outageVerdict,
};
