// The record of a scenario run, as in Jepsen: every operation a device or a fault performed,
// with what it saw. Checkers are pure functions of this list. The engine fills the fields every
// HTTP lab has; a workload extends Op with what its answers carry (a cart, a user).

/**
 * ok: it happened and the answer says so. fail: it certainly did not take effect (a refused
 * input, a read that got no answer). info: it may or may not have taken effect (a write whose
 * answer never came, or came as a 5xx): checkers count it neither as applied nor as lost.
 */
export type OpType = 'ok' | 'fail' | 'info';

/** The processes the engine itself records as. */
export const enginePrincipals = {
  /** Faults. */
  nemesis: 'nemesis',
  /** Direct GETs to one node, bypassing the balancer. */
  probe: 'probe',
  /** Deliberate waits. */
  lab: 'lab',
} as const;

export interface Op {
  index: number;
  /** The device's name, or one of enginePrincipals. */
  process: string;
  action: string;
  args?: Record<string, unknown>;
  type: OpType;
  startedMs: number;
  endedMs: number;
  /** The request as sent, e.g. "POST /cart/items" (for reports). */
  request?: string;
  status?: number;
  /** X-Served-By: the app node that answered (absent when nginx answered by itself, or nothing did). */
  servedBy?: string;
  /** X-Session-State of the answer. */
  sessionState?: string;
  /** A tag of the session id the device held after the answer. */
  session?: string;
  /** What the answer showed, in a few words (for reports), e.g. "cart apple×2". */
  seen?: string;
  /** Anything else the answer carried (error bodies, probe figures, counts). */
  value?: unknown;
  /** Why there was no answer. */
  error?: string;
  /**
   * A request whose redirect the device followed on its headers (Lab.sendFollowingRedirect): how
   * long after the headers its body ended. The op itself ends when the headers came.
   */
  bodyLagMs?: number;
}

/** What a recorder passes in; History numbers it. */
export type OpInput<O extends Op = Op> = Omit<O, 'index'>;

export interface HistoryOptions {
  /**
   * Keep only the last this many ops (a long-lived recorder such as the console's); indexes go on
   * counting, so an op keeps its number. A scenario keeps them all: its checker reads them all.
   */
  keepLast?: number;
}

export class History {
  readonly ops: Op[] = [];
  /** Ops recorded so far, including those no longer kept. */
  recorded = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly onOp: (op: Op) => void = () => {},
    private readonly options: HistoryOptions = {},
  ) {}

  /** Milliseconds since the run started. */
  now(): number {
    return this.at(performance.now());
  }

  /** A moment taken with performance.now(), in milliseconds since the run started. */
  at(performanceMs: number): number {
    return Math.round((performanceMs - this.startedAt) * 10) / 10;
  }

  record<O extends Op>(input: OpInput<O>): O {
    const op = { index: this.recorded++, ...input } as O;
    this.ops.push(op);
    // Dropped in halves rather than one at a time: one splice per keepLast/2 ops, not per op.
    const keep = this.options.keepLast;
    if (keep !== undefined && this.ops.length > keep) this.ops.splice(0, this.ops.length - Math.ceil(keep / 2));
    this.onOp(op);
    return op;
  }
}
