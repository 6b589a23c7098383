// The record of a scenario run, as in Jepsen: every operation a device or a fault performed,
// with what it saw. Checkers are pure functions of this list.
import type { CartLine } from '../app/session.ts';

/**
 * ok: it happened and the answer says so. fail: it certainly did not take effect (a refused
 * input, a read that got no answer). info: it may or may not have taken effect (a write whose
 * answer never came, or came as a 5xx): checkers count it neither as applied nor as lost.
 */
export type OpType = 'ok' | 'fail' | 'info';

export interface Op {
  index: number;
  /** The device's name, or "nemesis" for faults, "probe" for direct node probes. */
  process: string;
  action: string;
  args?: Record<string, unknown>;
  type: OpType;
  startedMs: number;
  endedMs: number;
  status?: number;
  servedBy?: string;
  sessionState?: string;
  /** A hash of the session id the device held after the answer. */
  session?: string;
  /** The cart the answer showed. */
  cart?: CartLine[];
  /** The logged-in user the answer was for, if any. */
  user?: string;
  /** Anything else the answer carried (probe figures, counts). */
  value?: unknown;
  error?: string;
}

export type OpInput = Omit<Op, 'index'>;

export class History {
  readonly ops: Op[] = [];
  private readonly startedAt = performance.now();

  constructor(private readonly onOp: (op: Op) => void = () => {}) {}

  /** Milliseconds since the run started. */
  now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  record(input: OpInput): Op {
    const op = { index: this.ops.length, ...input };
    this.ops.push(op);
    this.onOp(op);
    return op;
  }
}
