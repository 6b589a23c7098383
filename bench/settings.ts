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
    durationSeconds: 0.3,
    maxRequests: 300,
    connections: 4,
    rounds: 1,
    sessionPool: 10,
    users: 2,
    memorySessionCounts: [200, 1000],
    fileSessionCounts: [100, 300],
    samples: 50,
    outageRequests: 3,
  },
  quick: {
    mode: 'quick',
    durationSeconds: 2,
    maxRequests: 50_000,
    connections: 16,
    rounds: 2,
    sessionPool: 200,
    users: 10,
    memorySessionCounts: [10_000, 30_000],
    fileSessionCounts: [1_000, 10_000],
    samples: 300,
    outageRequests: 10,
  },
  full: {
    mode: 'full',
    // Fifteen rounds of 2 s rather than five of 6 s, the same load in all: on a shared machine
    // the same case moves by a third from one minute to the next, so a comparison rests on pairs
    // of runs taken seconds apart (a store's block of cases takes 20 s a round), and its median
    // on fifteen of them rather than five.
    durationSeconds: 2,
    maxRequests: 200_000,
    connections: 16,
    rounds: 15,
    sessionPool: 500,
    users: 20,
    memorySessionCounts: [10_000, 100_000],
    fileSessionCounts: [1_000, 10_000, 100_000],
    samples: 1000,
    outageRequests: 20,
  },
};
