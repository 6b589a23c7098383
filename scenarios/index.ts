import type { Scenario } from '../runner/scenario.ts';
import { fileRestart } from './file-restart.ts';
import { fileRoundRobin } from './file-round-robin.ts';
import { memoryGrowth } from './memory-growth.ts';
import { memoryRestart } from './memory-restart.ts';
import { multiDevice } from './multi-device.ts';
import { postgresShared } from './postgres-shared.ts';
import { redisShared } from './redis-shared.ts';

/** The catalog, in the article's order. */
export const scenarios: readonly Scenario[] = [memoryRestart, memoryGrowth, fileRestart, fileRoundRobin, multiDevice, redisShared, postgresShared];
