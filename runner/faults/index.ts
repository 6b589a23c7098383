import type { RunningTopology } from '../backend.ts';
import { heal } from './heal.ts';
import { isolate } from './isolate.ts';
import { kill } from './kill.ts';
import { partition } from './partition.ts';
import { pause } from './pause.ts';
import { restart } from './restart.ts';
import { scaleIn } from './scale-in.ts';
import { scaleOut } from './scale-out.ts';
import { resume } from './resume.ts';
import { skew } from './skew.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';

/**
 * A fault acts on a running topology: most on one service (a node, nginx, Redis or PostgreSQL
 * alike), named by target; partition's target is two groups (`a b | c`), skew's a service and
 * seconds (`server_2 +600`), heal's nothing; scale-out's a spare node (or nothing: the next one),
 * scale-in's a node and optionally `hard`.
 */
export type Fault = (running: RunningTopology, target: string) => Promise<void>;

/** Every fault a scenario can inject, one module each. */
export const faults = { restart, kill, stop, start, pause, resume, partition, heal, isolate, skew, 'scale-out': scaleOut, 'scale-in': scaleIn } satisfies Record<string, Fault>;

export type FaultName = keyof typeof faults;
