// Which topology each scenario of a run gets, and when it starts: ahead of its scenario, shared
// with the scenario before it, or attached to one someone else started.
import type { MissingCapabilities, RunningTopology } from './backend.ts';
import { leftAsFound } from './as-found.ts';
import { startWish, type Scenario, type StartTopology } from './scenario.ts';
import { loadTopology, type Topology } from './topology.ts';

/** A backend as the commands use it: how it starts a topology, and whether it would attach to one. */
export interface Backend {
  start: StartTopology;
  /** Whether a start of this topology would attach to one someone else started and left running. */
  wouldAttach(topology: Topology): Promise<boolean>;
}

/**
 * Starts each scenario's topology. Locally, once one is up, the next scenario's starts in the
 * background: a run of many scenarios then rarely waits for a start-up. Under compose a start is
 * CPU-bound work of the engine (containers, PostgreSQL's initdb) that, on a small machine, gains
 * nothing beside a running scenario and makes its timed faults miss (measured: the same total
 * time, and failovers and crashes that missed); there consecutive scenarios of one topology share
 * one start instead, each leaving it as it found it (see as-found.ts), unless one of them needs a
 * fresh one or is a repeat (--repeat means a fresh topology per run). A topology someone else
 * started is never taken ahead or shared: each scenario attaches to it.
 */
export class TopologyStarter {
  private early: { index: number; running: Promise<RunningTopology> } | undefined;
  private shared: RunningTopology | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly chosen: readonly Scenario[],
    private readonly lacks: MissingCapabilities,
    private readonly freshAsked: boolean,
    private readonly share: boolean,
  ) {}

  /** What is up and not held by a running scenario (to tear down on Ctrl-C and at the end). */
  get held(): (RunningTopology | Promise<RunningTopology> | undefined)[] {
    return [this.early?.running, this.shared];
  }

  /** Brings down what is still held once the run is over. */
  async close(): Promise<void> {
    await Promise.all(this.held.map(async (running) => (await running)?.down().catch(() => {})));
    this.early = undefined;
    this.shared = undefined;
  }

  private runs(scenario: Scenario | undefined): scenario is Scenario {
    return scenario !== undefined && !scenario.needs?.some((need) => this.lacks[need] !== undefined);
  }

  /** Whether b can run on the topology a leaves behind (compose only: see the class). */
  private shares(a: Scenario, b: Scenario | undefined): boolean {
    return this.share && this.runs(b) && b.name !== a.name && b.topology === a.topology && !startWish(a, this.freshAsked).fresh && !startWish(b, this.freshAsked).fresh;
  }

  for(index: number): StartTopology {
    return async (topology, needs, wish) => {
      const scenario = this.chosen[index]!;
      const reusable = this.shared?.topology.name === topology.name && !wish?.fresh ? this.shared : undefined;
      if (this.shared && !reusable) await this.shared.down().catch(() => {});
      this.shared = undefined;
      const early = this.early?.index === index ? this.early.running : undefined;
      // One started for a scenario that then did not run (it was skipped) is not left running.
      if (this.early && !early) void this.early.running.then((r) => r.down()).catch(() => {});
      this.early = undefined;
      const running = reusable ?? (await (early ?? this.backend.start(topology, needs, wish)));
      const ahead = this.chosen[index + 1];
      if (!this.share && this.runs(ahead)) {
        const aheadWish = startWish(ahead, this.freshAsked);
        const aheadTopology = loadTopology(ahead.topology);
        if (aheadWish.fresh || !(await this.backend.wouldAttach(aheadTopology))) {
          const started = this.backend.start(aheadTopology, ahead.needs, aheadWish);
          // Its failure is reported by its own scenario, when that one takes it.
          started.catch(() => {});
          this.early = { index: index + 1, running: started };
        }
      }
      if (running.attached || !this.shares(scenario, this.chosen[index + 1])) return running;
      this.shared = running;
      return leftAsFound(running);
    };
  }
}

