import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { killUnderLoadVerdict } from './shop/checkers/kill-under-load.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';

// With a shared store, a node's death costs only the requests it was answering: nginx sends the
// next ones to the other node (a connection refused is safe to retry, even for a POST), the
// sessions are in the store, and the node picks up where it left when it is back.
export const killPlan: LoadPlan = {
  devices: 16,
  durationMs: 4000,
  maxDurationMs: 15_000,
  faults: [
    { atMs: 1000, fault: 'kill', target: 'server_1' },
    { atMs: 2000, fault: 'start', target: 'server_1' },
  ],
};

export const killUnderLoad: Scenario<ShopOp> = {
  name: 'kill-under-load',
  summary: '16 devices write continuously on redis-2; server_1 gets kill -9 and is started again: no acknowledged write lost, only the requests in flight fail.',
  topology: 'redis-2',
  expected: 'no-write-lost',
  run: (lab) => writeUnderFaults(lab, killPlan),
  check: killUnderLoadVerdict,
};

export const killUnderLoadPostgres: Scenario<ShopOp> = {
  ...killUnderLoad,
  name: 'kill-under-load-postgres',
  summary: 'The same on postgres-2: no acknowledged write lost, only the requests in flight fail.',
  topology: 'postgres-2',
};
