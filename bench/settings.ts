// How big each benchmark mode is. tiny exists for the test that checks the benchmark runs.
export interface BenchSettings {
  mode: 'tiny' | 'quick' | 'full';
  /** Per load run: a time bound and a request bound, whichever comes first. */
  durationSeconds: number;
  maxRequests: number;
  connections: number;
  /** Rounds over every throughput case, in a new shuffled order each round; medians reported. */
  rounds: number;
  /** Sessions (cookies) per target, so that load is not one session's. */
  sessionPool: number;
  /** Logged-in users for the token-check cases. */
  users: number;
  memorySessionCounts: number[];
  fileSessionCounts: number[];
  /** Sample size for per-operation latencies. */
  samples: number;
  outageRequests: number;
}

export const benchSettings: Record<BenchSettings['mode'], BenchSettings> = {
  tiny: {
    mode: 'tiny',
    durationSeconds: 0.1,
    maxRequests: 100,
    connections: 4,
    rounds: 1,
    sessionPool: 10,
    users: 2,
    memorySessionCounts: [100, 300],
    fileSessionCounts: [50, 100],
    samples: 20,
    outageRequests: 3,
  },
  quick: {
    mode: 'quick',
    // The groups stores and nginx (32 runs a round) in about 75 s on 2 cores, start-up included:
    // three rounds, so that each ratio has three pairs and the spread it prints means something.
    durationSeconds: 0.6,
    maxRequests: 50_000,
    connections: 16,
    rounds: 3,
    sessionPool: 200,
    users: 10,
    memorySessionCounts: [10_000, 30_000],
    fileSessionCounts: [1_000, 10_000],
    samples: 300,
    outageRequests: 10,
  },
  full: {
    mode: 'full',
    // Every group in under 15 minutes on 2 cores: ten rounds of 1 s runs (62 a round). On a
    // shared machine the same case moves by a third from one minute to the next, so a comparison
    // rests on pairs of runs taken seconds apart, and its median on ten of them; what the shorter
    // run costs in precision is in the README (the spread of the rounds' ratios, before and after).
    durationSeconds: 1,
    maxRequests: 200_000,
    connections: 16,
    rounds: 10,
    sessionPool: 500,
    users: 20,
    memorySessionCounts: [10_000, 100_000],
    fileSessionCounts: [1_000, 10_000, 100_000],
    samples: 1000,
    outageRequests: 20,
  },
};
