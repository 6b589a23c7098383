import { sessionAcrossFault } from './shop/checkers/session-across-fault.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { cartAcrossRestart } from './shop/steps.ts';

// The article's first problem: sessions in process memory die with the process.
export const memoryRestart: Scenario<ShopOp> = {
  name: 'memory-restart',
  summary: 'One node, sessions in memory: after a restart the same cookie finds no session (lost) and an empty cart.',
  topology: 'memory-1',
  expected: 'session-lost',
  run: cartAcrossRestart,
  check: (history) => sessionAcrossFault(history, 'restart'),
};
