// The report of a `lab run` as one self-contained HTML file (styles inline, no script, nothing
// fetched): a summary table linking to each scenario, then per scenario its verdict, metrics,
// first bad operation and a timeline drawn in SVG: one lane per node (and one for requests no
// node answered), each request a mark at the time its answer came, coloured by session state,
// shaped by device; faults are vertical lines across the lanes. A run of thousands of requests is
// drawn as stacked bars per time bucket instead, so the file stays small.
import { enginePrincipals, type Op } from './history.ts';
import { formatOutcomes, formatRanges, repeatWord, type RepeatSummary } from './repeat.ts';
import { keyMetrics, standInNotice } from './report.ts';
import { resultWord, type FirstBad, type ScenarioResult } from './scenario.ts';

/** More device operations than this and the timeline aggregates them per time bucket. */
export const markLimit = 400;
const buckets = 120;

const width = 1000;
const laneHeight = 34;
const left = 110;
const right = 20;
const top = 40;

/** The state a mark shows: the answer's session state, or that there was no good answer. */
export type MarkState = 'new' | 'existing' | 'lost' | 'error';
export const stateColors: Record<MarkState, string> = { new: '#2563eb', existing: '#16a34a', lost: '#dc2626', error: '#f59e0b' };

export function markState(op: Op): MarkState {
  if (op.type !== 'ok' && op.status === undefined) return 'error';
  if (op.status !== undefined && op.status >= 500) return 'error';
  if (op.sessionState === 'lost') return 'lost';
  if (op.sessionState === 'new') return 'new';
  if (op.sessionState === 'existing') return 'existing';
  return 'error';
}

const noNode = 'no node';

/** Requests drawn on the timeline: every op that went out as a device's request. */
export function requestOps(history: readonly Op[]): Op[] {
  return history.filter((op) => op.process !== enginePrincipals.nemesis && op.process !== enginePrincipals.lab && (op.status !== undefined || op.error !== undefined));
}

/** Lanes: the nodes that answered, in name order, and "no node" when some request got none. */
export function lanesOf(history: readonly Op[]): string[] {
  const ops = requestOps(history);
  const nodes = [...new Set(ops.map((op) => op.servedBy).filter((n): n is string => n !== undefined))].sort();
  return ops.some((op) => op.servedBy === undefined) ? [...nodes, noNode] : nodes;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function anchor(name: string): string {
  return `scenario-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

const shapes = ['circle', 'square', 'triangle', 'diamond'] as const;

function mark(shape: (typeof shapes)[number], x: number, y: number, r: number, attributes: string): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${r}" ${attributes}/>`;
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" ${attributes}/>`;
    case 'triangle':
      return `<polygon points="${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}" ${attributes}/>`;
    case 'diamond':
      return `<polygon points="${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}" ${attributes}/>`;
  }
}

function describeOp(op: Op): string {
  const parts = [
    `#${op.index} ${op.process}: ${op.request ?? op.action}`,
    `at ${Math.round(op.endedMs)} ms (${Math.round(op.endedMs - op.startedMs)} ms)`,
    `status ${op.status ?? op.error ?? 'none'}`,
    `node ${op.servedBy ?? 'none'}`,
    `session ${op.sessionState ?? 'none'}`,
    op.seen ? `showed ${op.seen}` : '',
  ];
  return parts.filter(Boolean).join('\n');
}

/**
 * The time axis: ticks at a round step (1, 2 or 5 times a power of ten, in ms) that gives at most
 * six intervals over the timeline, each labelled with as many decimals as the step needs, so that
 * no two labels read the same (0.00 s 0.05 s 0.10 s … under a 0.25 s timeline).
 */
export function timeTicks(endMs: number): { ms: number; label: string }[] {
  const target = Math.max(endMs, 1) / 6;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= target)!;
  const decimals = Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9));
  const ticks: { ms: number; label: string }[] = [];
  for (let ms = 0; ms <= endMs + 1e-9; ms += step) ticks.push({ ms, label: `${(ms / 1000).toFixed(decimals)} s` });
  return ticks;
}

/** The timeline of one scenario as an SVG element. */
export function timelineSvg(history: readonly Op[], firstBad?: FirstBad, lostWrites: readonly number[] = []): string {
  const lost = new Set(lostWrites);
  const ops = requestOps(history);
  const lanes = lanesOf(history);
  const faults = history.filter((op) => op.process === enginePrincipals.nemesis);
  const endMs = Math.max(1, ...history.map((op) => op.endedMs));
  const height = top + Math.max(1, lanes.length) * laneHeight + 30;
  const x = (ms: number) => left + ((width - left - right) * ms) / endMs;
  const laneY = (node: string | undefined) => top + (lanes.indexOf(node ?? noNode) + 0.5) * laneHeight;
  const devices = [...new Set(ops.map((op) => op.process))];
  const parts: string[] = [];
  lanes.forEach((lane, i) => {
    const y = top + i * laneHeight;
    parts.push(`<rect class="lane" data-lane="${escapeHtml(lane)}" x="${left}" y="${y}" width="${width - left - right}" height="${laneHeight}" fill="${i % 2 ? '#f8fafc' : '#f1f5f9'}"/>`);
    parts.push(`<text x="${left - 8}" y="${y + laneHeight / 2 + 4}" text-anchor="end" class="lane-label">${escapeHtml(lane)}</text>`);
  });
  for (const tick of timeTicks(endMs)) {
    parts.push(`<text x="${x(tick.ms)}" y="${height - 8}" text-anchor="middle" class="tick">${tick.label}</text>`);
  }
  if (ops.length <= markLimit) {
    for (const op of ops) {
      const shape = shapes[devices.indexOf(op.process) % shapes.length]!;
      const bad = firstBad?.index === op.index;
      // An acknowledged write the checker counts as lost: its answer was a success, so it keeps its
      // colour, and a red ring says what became of it.
      const lostWrite = lost.has(op.index);
      const ring = bad ? ' stroke="#111827" stroke-width="3"' : lostWrite ? ' stroke="#dc2626" stroke-width="2.5"' : '';
      const attributes = `class="mark${bad ? ' first-bad' : ''}${lostWrite ? ' lost-write' : ''}" data-index="${op.index}" data-state="${markState(op)}" fill="${stateColors[markState(op)]}"${ring}`;
      parts.push(`<g>${mark(shape, x(op.endedMs), laneY(op.servedBy), bad ? 7 : 4.5, attributes)}<title>${escapeHtml(describeOp(op))}</title></g>`);
    }
  } else {
    // Stacked bars per time bucket and lane: how many answers of each state.
    const bucketMs = endMs / buckets;
    const counts = new Map<string, Record<MarkState, number>>();
    for (const op of ops) {
      const key = `${lanes.indexOf(op.servedBy ?? noNode)}:${Math.min(buckets - 1, Math.floor(op.endedMs / bucketMs))}`;
      const c = counts.get(key) ?? { new: 0, existing: 0, lost: 0, error: 0 };
      c[markState(op)]++;
      counts.set(key, c);
    }
    const most = Math.max(1, ...[...counts.values()].map((c) => c.new + c.existing + c.lost + c.error));
    const barWidth = Math.max(1, (width - left - right) / buckets - 1);
    for (const [key, c] of counts) {
      const [lane, bucket] = key.split(':').map(Number) as [number, number];
      let y = top + (lane + 1) * laneHeight - 2;
      const total = c.new + c.existing + c.lost + c.error;
      const label = `${lanes[lane]} ${((bucket * bucketMs) / 1000).toFixed(2)}–${(((bucket + 1) * bucketMs) / 1000).toFixed(2)} s: ${total} answers (${c.existing} existing, ${c.new} new, ${c.lost} lost, ${c.error} failed)`;
      const bars: string[] = [];
      for (const state of ['existing', 'new', 'lost', 'error'] as const) {
        if (c[state] === 0) continue;
        const h = ((laneHeight - 6) * c[state]) / most;
        y -= h;
        bars.push(`<rect class="bar" data-state="${state}" data-count="${c[state]}" x="${x(bucket * bucketMs)}" y="${y}" width="${barWidth}" height="${Math.max(h, 0.5)}" fill="${stateColors[state]}"/>`);
      }
      parts.push(`<g>${bars.join('')}<title>${escapeHtml(label)}</title></g>`);
    }
    // Acknowledged writes counted as lost, per bucket and lane: a red mark above the bar, with the count.
    const lostCounts = new Map<string, number>();
    for (const op of ops.filter((o) => lost.has(o.index))) {
      const key = `${lanes.indexOf(op.servedBy ?? noNode)}:${Math.min(buckets - 1, Math.floor(op.endedMs / bucketMs))}`;
      lostCounts.set(key, (lostCounts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of lostCounts) {
      const [lane, bucket] = key.split(':').map(Number) as [number, number];
      const cx = x((bucket + 0.5) * bucketMs);
      const cy = top + lane * laneHeight + 4;
      parts.push(`<g><polygon class="lost-write" data-count="${count}" points="${cx - 3},${cy - 3} ${cx + 3},${cy - 3} ${cx},${cy + 2}" fill="#dc2626"/><title>${escapeHtml(`${lanes[lane]}: ${count} acknowledged writes counted as lost`)}</title></g>`);
    }
    const bad = firstBad ? ops.find((op) => op.index === firstBad.index) : undefined;
    if (bad) parts.push(`<g><circle class="mark first-bad" data-index="${bad.index}" cx="${x(bad.endedMs)}" cy="${laneY(bad.servedBy)}" r="7" fill="none" stroke="#111827" stroke-width="3"/><title>${escapeHtml(describeOp(bad))}</title></g>`);
  }
  faults.forEach((fault, i) => {
    const fx = x(fault.startedMs);
    // Labels alternate between two heights, so faults close in time stay readable.
    const labelY = top - 9 - (i % 2) * 13;
    parts.push(
      `<g class="fault" data-index="${fault.index}"><line x1="${fx}" y1="${top - 6}" x2="${fx}" y2="${top + lanes.length * laneHeight}" stroke="#7c3aed" stroke-width="2" stroke-dasharray="4 3"/>` +
        `<text x="${fx + 3}" y="${labelY}" class="fault-label">${escapeHtml(fault.request ?? fault.action)}</text><title>${escapeHtml(describeOp(fault))}</title></g>`,
    );
  });
  const legend = devices
    .slice(0, 12)
    .map((device, i) => `<span class="device"><svg width="14" height="14">${mark(shapes[i % shapes.length]!, 7, 7, 4.5, 'fill="#475569"')}</svg> ${escapeHtml(device)}</span>`)
    .join(' ');
  const note = ops.length > markLimit ? `<p class="note">${ops.length} requests, drawn as stacked bars per ${Math.round(endMs / buckets)} ms and node.</p>` : '';
  return `${note}<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="timeline">${parts.join('')}</svg>` + (ops.length <= markLimit ? `<p class="legend">${legend}${devices.length > 12 ? ` and ${devices.length - 12} more` : ''}</p>` : '');
}

const styles = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #0f172a; max-width: 1080px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 36px; border-top: 1px solid #e2e8f0; padding-top: 18px; }
table { border-collapse: collapse; } td, th { padding: 3px 10px; border-bottom: 1px solid #e2e8f0; text-align: left; vertical-align: top; }
.pass { color: #15803d; font-weight: 600; } .fail { color: #b91c1c; font-weight: 600; } .skip { color: #a16207; font-weight: 600; }
.stand-in { background: #fefce8; border-left: 4px solid #ca8a04; padding: 6px 10px; }
.metrics { font: 12px/1.4 ui-monospace, monospace; color: #334155; word-break: break-word; }
.first-bad-text { background: #fef2f2; border-left: 4px solid #dc2626; padding: 6px 10px; }
.lane-label, .tick, .fault-label { font: 11px ui-monospace, monospace; fill: #334155; } .fault-label { fill: #6d28d9; }
.legend, .note { font-size: 12px; color: #475569; } .device { margin-right: 10px; white-space: nowrap; }
.key span { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin: 0 4px 0 12px; }
`;

function resultCell(result: ScenarioResult): { word: string; cls: string } {
  const word = resultWord(result);
  return { word, cls: word.toLowerCase() };
}

/** A scenario's section; run numbers it among the runs of a repeated run. */
function scenarioSection(result: ScenarioResult, run?: number): string {
  const { word, cls } = resultCell(result);
  const id = anchor(run === undefined ? result.name : `${result.name}-run-${run}`);
  const title = `<h2>${escapeHtml(result.name)}${run === undefined ? '' : ` (run ${run})`}</h2>`;
  if (result.skipped) return `<section id="${id}" data-scenario="${escapeHtml(result.name)}">${title}<p><span class="skip">SKIP</span>: ${escapeHtml(result.skipped)}</p></section>`;
  const verdict = `<p><span class="${cls}">${word}</span>: expected <b>${escapeHtml(result.expected)}</b>, observed <b>${escapeHtml(result.observed)}</b> on ${escapeHtml(result.topology)} in ${(result.durationMs / 1000).toFixed(1)} s</p>`;
  const error = result.error ? `<p class="first-bad-text">${escapeHtml(result.error)}</p>` : '';
  const bad = result.firstBad
    ? `<p class="first-bad-text">First bad operation #${result.firstBad.index} at ${Math.round(result.firstBad.atMs)} ms: ${escapeHtml(result.firstBad.process)} ${escapeHtml(result.firstBad.request ?? '')} on ${escapeHtml(result.firstBad.node ?? 'no node')}: expected ${escapeHtml(result.firstBad.expected)}, saw ${escapeHtml(result.firstBad.seen)} (ringed on the timeline${result.lostWrites?.length ? `; the ${result.lostWrites.length} acknowledged writes counted as lost are ringed in red` : ''}).</p>`
    : '';
  return `<section id="${id}" data-scenario="${escapeHtml(result.name)}">${title}${verdict}${error}${bad}<p class="metrics">${escapeHtml(keyMetrics(result.metrics))}</p>${timelineSvg(result.history, result.firstBad, result.lostWrites)}</section>`;
}

/**
 * A repeated run's summary table (runs k/N, outcomes, metric ranges) and its sections: each
 * scenario's first run, and every run that did not observe the expectation.
 */
function repeatedParts(results: readonly ScenarioResult[], summaries: readonly RepeatSummary[]): { heading: string; table: string; sections: string } {
  const held = summaries.filter((s) => repeatWord(s) === 'PASS').length;
  const rows = summaries
    .map((s) => `<tr><td><a href="#${anchor(`${s.name}-run-1`)}">${escapeHtml(s.name)}</a></td><td>${escapeHtml(s.topology)}</td><td>${escapeHtml(s.expected)}</td><td data-runs>${s.matched}/${s.runs}</td><td>${escapeHtml(formatOutcomes(s.outcomes))}</td><td class="${repeatWord(s).toLowerCase()}">${repeatWord(s)}</td><td class="metrics">${escapeHtml(s.skipped ?? formatRanges(s.metricRanges))}</td></tr>`)
    .join('');
  const runNumber = new Map<string, number>();
  const sections = results.flatMap((result) => {
    const n = (runNumber.get(result.name) ?? 0) + 1;
    runNumber.set(result.name, n);
    return n === 1 || (!result.passed && result.skipped === undefined) ? [scenarioSection(result, n)] : [];
  });
  return {
    heading: `${held} of ${summaries.length} scenarios observed what they expected in every one of ${summaries[0]?.runs ?? 0} runs`,
    table: `<table><thead><tr><th>scenario</th><th>topology</th><th>expected</th><th>runs</th><th>observed</th><th>result</th><th>metrics (lowest–highest)</th></tr></thead><tbody>${rows}</tbody></table>`,
    sections: sections.join('\n'),
  };
}

/** The whole report: a summary table of every scenario, then each scenario's section. */
export function htmlReport(results: readonly ScenarioResult[], startedAt: Date, backend: string, summaries?: readonly RepeatSummary[]): string {
  const passed = results.filter((r) => r.passed).length;
  const rows = results
    .map((r) => `<tr><td><a href="#${anchor(r.name)}">${escapeHtml(r.name)}</a></td><td>${escapeHtml(r.topology)}</td><td>${escapeHtml(r.expected)}</td><td>${escapeHtml(r.observed)}</td><td class="${resultCell(r).cls}">${resultCell(r).word}</td><td>${(r.durationMs / 1000).toFixed(1)} s</td></tr>`)
    .join('');
  const single = {
    heading: `${passed} of ${results.length} scenarios observed what they expected`,
    table: `<table><thead><tr><th>scenario</th><th>topology</th><th>expected</th><th>observed</th><th>result</th><th>time</th></tr></thead><tbody>${rows}</tbody></table>`,
    sections: results.map((r) => scenarioSection(r)).join('\n'),
  };
  const parts = summaries ? repeatedParts(results, summaries) : single;
  const standIns = standInNotice(results);
  const key = (Object.entries(stateColors) as [MarkState, string][]).map(([state, color]) => `<span style="background:${color}"></span>${state}`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>session-lab run ${escapeHtml(startedAt.toISOString())}</title>
<link rel="icon" href="data:,"><style>${styles}</style></head>
<body><h1>session-lab: ${escapeHtml(parts.heading)}</h1>
${standIns ? `<p class="stand-in" data-stand-in>${escapeHtml(standIns)}</p>` : ''}
<p>${escapeHtml(startedAt.toISOString())}, ${escapeHtml(backend)} backend. Each timeline has a lane per node; every request is a mark where its answer came, coloured by the session state it reported:</p>
<p class="key">${key}; faults are dashed lines; the first bad operation is ringed. Hover a mark for the request.</p>
${parts.table}
${parts.sections}
</body></html>
`;
}
