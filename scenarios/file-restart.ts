import { sessionAcrossFault } from './shop/checkers/session-across-fault.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { cartAcrossRestart } from './shop/steps.ts';

// The article's fix for the restart: one file per session on the node's disk.
export const fileRestart: Scenario<ShopOp> = {
  name: 'file-restart',
  summary: 'One node, sessions in files on its disk: the cart survives a restart.',
  topology: 'file-1',
  expected: 'session-kept',
  run: cartAcrossRestart,
  check: (history) => sessionAcrossFault(history, 'restart'),
};
