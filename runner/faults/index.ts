import type { RunningTopology } from '../backend.ts';
import { killNode } from './kill-node.ts';
import { restartNode } from './restart-node.ts';
import { startService } from './start-service.ts';
import { stopService } from './stop-service.ts';

export type Fault = (running: RunningTopology, service: string) => Promise<void>;

/** Every fault a scenario can inject, one module each. */
export const faults = {
  restart: restartNode,
  kill: killNode,
  stop: stopService,
  start: startService,
} satisfies Record<string, Fault>;

export type FaultName = keyof typeof faults;
