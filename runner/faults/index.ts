import type { RunningTopology } from '../backend.ts';
import { kill } from './kill.ts';
import { pause } from './pause.ts';
import { restart } from './restart.ts';
import { resume } from './resume.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';

/** A fault acts on one service of a running topology: a node, nginx, Redis or PostgreSQL alike. */
export type Fault = (running: RunningTopology, service: string) => Promise<void>;

/** Every fault a scenario can inject, one module each. */
export const faults = { restart, kill, stop, start, pause, resume } satisfies Record<string, Fault>;

export type FaultName = keyof typeof faults;
