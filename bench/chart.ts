// The benchmark's throughput as a chart: one SVG (no script, nothing fetched) with a bar per case,
// read and write side by side, as the ratio to the no-session baseline of the same path.
import type { BenchReport } from './report.ts';

const barHeight = 14;
const labelWidth = 330;
const chartWidth = 420;

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function throughputChart(report: BenchReport): string {
  // The baseline first, then each store's cases together.
  const targets = [...new Set(report.throughput.map((r) => r.target))].sort((a, b) => Number(b.startsWith('baseline')) - Number(a.startsWith('baseline')) || a.localeCompare(b));
  const find = (target: string, path: 'read' | 'write') => report.throughput.find((r) => r.target === target && r.path === path);
  const most = Math.max(1, ...report.throughput.map((r) => r.ratioToBaseline));
  const rowHeight = 2 * barHeight + 8;
  const top = 46;
  const height = top + targets.length * rowHeight + 20;
  const width = labelWidth + chartWidth + 120;
  const x = (ratio: number) => labelWidth + (chartWidth * ratio) / most;
  const parts: string[] = [
    `<text x="10" y="20" class="title">Throughput against the no-session baseline (${escapeXml(report.mode)} run, ${escapeXml(report.date.slice(0, 10))}, ${report.machine.cores} cores)</text>`,
    `<rect x="${labelWidth}" y="28" width="10" height="10" fill="#2563eb"/><text x="${labelWidth + 14}" y="37">read (GET /cart)</text>`,
    `<rect x="${labelWidth + 140}" y="28" width="10" height="10" fill="#f59e0b"/><text x="${labelWidth + 154}" y="37">write (POST /cart/items)</text>`,
    `<line x1="${x(1)}" y1="${top - 4}" x2="${x(1)}" y2="${height - 16}" stroke="#94a3b8" stroke-dasharray="3 3"/><text x="${x(1)}" y="${height - 4}" text-anchor="middle">1× = baseline</text>`,
  ];
  targets.forEach((target, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight + 4}" text-anchor="end">${escapeXml(target)}</text>`);
    (['read', 'write'] as const).forEach((path, j) => {
      const result = find(target, path);
      if (!result) return;
      const by = y + j * barHeight;
      parts.push(
        `<rect class="bar" data-target="${escapeXml(target)}" data-path="${path}" x="${labelWidth}" y="${by}" width="${Math.max(1, x(result.ratioToBaseline) - labelWidth)}" height="${barHeight - 2}" fill="${path === 'read' ? '#2563eb' : '#f59e0b'}"><title>${escapeXml(`${target}, ${path}: ${result.requestsPerSecond} req/s, ${result.ratioToBaseline}× the baseline, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`)}</title></rect>`,
        `<text x="${x(result.ratioToBaseline) + 4}" y="${by + barHeight - 4}" class="value">${result.ratioToBaseline.toFixed(2)}× (${result.requestsPerSecond}/s)</text>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">
<style>.title { font-size: 14px; font-weight: 600; } .value { font-size: 11px; fill: #334155; }</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
