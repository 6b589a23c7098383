// How long a benchmark run will take, said before it starts, and how far it has come while it
// runs: on a terminal one line rewritten in place, elsewhere (CI, a pipe) one plain line per run.
import type { BenchGroup } from './groups.ts';
import type { BenchSettings } from './settings.ts';
import type { RunProgress } from './throughput.ts';

/** What one load run costs beyond its own seconds: the IPC round trip, /proc reads, the next run's start. */
export const runOverheadSeconds = 0.05;

/** Seconds each other section took on a 2-core machine, by mode (measured; see bench/results/). */
const sectionSeconds: Record<BenchSettings['mode'], Partial<Record<BenchGroup, number>>> = {
  tiny: { 'cookie-size': 1, 'login-timing': 2, outage: 3, memory: 3, 'file-store': 2 },
  quick: { 'cookie-size': 1, 'login-timing': 3, outage: 2, memory: 12, 'file-store': 8 },
  full: { 'cookie-size': 1, 'login-timing': 4, outage: 2, memory: 50, 'file-store': 55 },
};

/** The time for this many load runs and the chosen other sections. */
export function estimateSeconds(settings: BenchSettings, runs: number, groups: ReadonlySet<BenchGroup>): number {
  const sections = [...groups].reduce((sum, group) => sum + (sectionSeconds[settings.mode][group] ?? 0), 0);
  return runs * (settings.durationSeconds + runOverheadSeconds) + sections;
}

/** "45 s", "3 min 20 s" */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  return whole % 60 === 0 ? `${minutes} min` : `${minutes} min ${whole % 60} s`;
}

export class Progress {
  private readonly startedAt = performance.now();
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** After each run: its line, and how far the measurement is (the rest estimated from the pace so far). */
  run(line: string, at: RunProgress, restSeconds: number): void {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const left = (elapsed / at.done) * (at.total - at.done) + restSeconds;
    const where = `round ${at.round}/${at.rounds}, run ${at.done}/${at.total}, about ${formatDuration(left)} left`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${where} · ${line.replace(/\s+/g, ' ')}`.slice(0, (this.out.columns || 120) - 1));
      this.drawn = true;
    } else {
      this.out.write(`  [${where}] ${line}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
  }
}
