import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { fileRestart } from './file-restart.ts';
import { fileRoundRobin } from './file-round-robin.ts';
import { loginMultiDevice } from './login-multi-device.ts';
import { logoutAll } from './logout-all.ts';
import { memoryGrowth } from './memory-growth.ts';
import { memoryRestart } from './memory-restart.ts';
import { multiDevice } from './multi-device.ts';
import { postgresShared } from './postgres-shared.ts';
import { redisShared } from './redis-shared.ts';
import { sessionFixation } from './session-fixation.ts';
import { tokenExpiry } from './token-expiry.ts';

/** The catalog, in the article's order. */
export const scenarios: readonly Scenario<ShopOp>[] = [
  memoryRestart,
  memoryGrowth,
  fileRestart,
  fileRoundRobin,
  multiDevice,
  redisShared,
  postgresShared,
  loginMultiDevice,
  logoutAll,
  tokenExpiry,
  sessionFixation,
];
