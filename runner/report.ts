// How a run reads on the terminal: one line per operation as it happens, a table at the end,
// and for each verdict the operation it turned on.
import { styleText } from 'node:util';
import { enginePrincipals, type Op } from './history.ts';
import { formatOutcomes, formatRanges, repeatWord, type RepeatSummary } from './repeat.ts';
import { resultWord, type FirstBad, type ScenarioResult } from './scenario.ts';

function outcome(op: Op): string {
  if (op.type === 'ok') return '';
  const message = (op.value as { message?: unknown } | undefined)?.message;
  const detail = op.error ?? [op.status, typeof message === 'string' ? message : undefined].filter((x) => x !== undefined).join(' ');
  return ` [${op.type}${detail ? `: ${detail}` : ''}]`;
}

/** device → request → node → session state → what the answer showed */
export function formatOp(op: Op): string {
  const who = op.process.padEnd(9) + ' ';
  const ms = `(${Math.round(op.endedMs - op.startedMs)} ms)`;
  const request = op.request ?? op.action;
  if (op.process === enginePrincipals.nemesis || op.process === enginePrincipals.lab) return `  ${who}${request} ${ms}${outcome(op)}`;
  // A request that went out over HTTP has a status or an error; it names the node or its absence.
  const overHttp = op.status !== undefined || op.error !== undefined;
  const node = overHttp ? (op.servedBy ?? 'no node') : undefined;
  const parts = [request, node, overHttp ? (op.sessionState ?? '-') : undefined, op.seen].filter(Boolean);
  return `  ${who}${parts.join(' → ')}${outcome(op)}`;
}

/**
 * Prints operations as they happen, but only the first `limit` device operations of a run (a load
 * scenario makes thousands); faults and waits always. done() says how many were left out.
 */
export function opPrinter(write: (line: string) => void, limit = 120): { onOp(op: Op): void; done(): void } {
  let shown = 0;
  let hidden = 0;
  return {
    onOp(op) {
      const always = op.process === enginePrincipals.nemesis || op.process === enginePrincipals.lab;
      if (!always && shown >= limit) {
        if (hidden++ === 0) write(`  … further device operations not shown (the JSON report keeps them all)`);
        return;
      }
      if (!always) shown++;
      write(formatOp(op));
    },
    done() {
      if (hidden > 0) write(`  … ${hidden} device operations not shown`);
    },
  };
}

/** "#12 at 153 ms: laptop GET /cart on server_2: expected cart apple×1, saw cart empty" */
export function formatFirstBad(bad: FirstBad): string {
  const where = [bad.request, bad.node ? `on ${bad.node}` : undefined].filter(Boolean).join(' ');
  return `#${bad.index} at ${Math.round(bad.atMs)} ms: ${bad.process} ${where}: expected ${bad.expected}, saw ${bad.seen}`;
}

/** The metrics as k=v pairs; nested ones (per node) with dotted keys: perNode.server_1.lostSessions=3. */
export function keyMetrics(metrics: Record<string, unknown>, prefix = ''): string {
  return Object.entries(metrics)
    .map(([k, v]) => {
      if (v !== null && typeof v === 'object') return keyMetrics(v as Record<string, unknown>, `${prefix}${k}.`);
      return `${prefix}${k}=${String(v)}`;
    })
    .join(' ');
}

/** Columns padded to their widest cell, the last one free; the result column coloured. */
function table(header: string[], rows: string[][], resultColumn: number, color: boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
        if (!color || i !== resultColumn || cell === header[i]) return padded;
        return styleText(cell === 'PASS' ? 'green' : cell === 'SKIP' ? 'yellow' : 'red', padded);
      })
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatTable(results: readonly ScenarioResult[], color: boolean): string {
  const rows = results.map((r) => [r.name, r.expected, r.observed, `${(r.durationMs / 1000).toFixed(1)} s`, resultWord(r), r.skipped ?? keyMetrics(r.metrics)]);
  return table(['scenario', 'expected', 'observed', 'time', 'result', 'key metrics'], rows, 4, color);
}

/** The verdict table of a repeated run: runs that observed the expectation (k/N), every outcome seen, each metric's range. */
export function formatRepeatTable(summaries: readonly RepeatSummary[], color: boolean): string {
  const rows = summaries.map((s) => [s.name, s.expected, `${s.matched}/${s.runs}`, formatOutcomes(s.outcomes), repeatWord(s), s.skipped ?? formatRanges(s.metricRanges)]);
  return table(['scenario', 'expected', 'runs', 'observed', 'result', 'metrics (lowest–highest)'], rows, 4, color);
}

/** Said under every summary of a run on stand-in images, so that no figure passes for the official images'. */
export function standInNotice(results: readonly ScenarioResult[]): string | undefined {
  const images = standInImagesOf(results);
  return images.length === 0 ? undefined : `stand-in images: ${images.join(', ')} (built from Debian packages by npm run setup:docker, not the official images)`;
}

/** Every stand-in image any of these runs used, once each. */
export function standInImagesOf(results: readonly ScenarioResult[]): string[] {
  return [...new Set(results.flatMap((r) => r.standInImages ?? []))].sort();
}
