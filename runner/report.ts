// How a run reads on the terminal: one line per operation as it happens, a table at the end.
import { styleText } from 'node:util';
import type { CartLine } from '../app/session.ts';
import type { Op } from './history.ts';
import type { ScenarioResult } from './scenario.ts';

export function formatCart(cart: readonly CartLine[] | undefined): string {
  if (!cart) return '';
  return cart.length === 0 ? 'cart empty' : `cart ${cart.map((l) => `${l.sku}×${l.qty}`).join(' ')}`;
}

const requests: Record<string, (op: Op) => string> = {
  read: () => 'GET /cart',
  add: (op) => `POST /cart/items ${String(op.args?.sku)}×${String(op.args?.qty)}`,
  remove: (op) => `DELETE /cart/items/${String(op.args?.sku)}`,
  get: (op) => `GET ${String(op.args?.path)}`,
  session: () => 'GET /session',
  signup: (op) => `POST /signup ${String(op.args?.username)}`,
  login: (op) => `POST /login ${String(op.args?.username)}`,
  me: () => 'GET /me',
  logout: () => 'POST /logout',
  'logout-all': () => 'POST /logout-all',
  'list-sessions': () => 'GET /me/sessions',
  revoke: (op) => `DELETE /me/sessions/<${String(op.args?.device)}>`,
};

function outcome(op: Op): string {
  if (op.type === 'ok') return '';
  const message = (op.value as { message?: unknown } | undefined)?.message;
  const detail = op.error ?? [op.status, typeof message === 'string' ? message : undefined].filter((x) => x !== undefined).join(' ');
  return ` [${op.type}${detail ? `: ${detail}` : ''}]`;
}

/** device → request → node → session state → cart */
export function formatOp(op: Op): string {
  const who = op.process.padEnd(9) + ' ';
  const ms = `(${Math.round(op.endedMs - op.startedMs)} ms)`;
  if (op.process === 'nemesis') return `  ${who}${op.action} ${String(op.args?.service)} ${ms}${outcome(op)}`;
  if (op.process === 'probe') {
    const figures = op.value as { heapUsedBytes?: number; sessionsHeld?: number | null } | undefined;
    const heap = figures?.heapUsedBytes !== undefined ? `heap ${(figures.heapUsedBytes / 1024 ** 2).toFixed(1)} MiB` : '';
    const held = figures?.sessionsHeld != null ? `, ${figures.sessionsHeld} sessions held` : '';
    return `  ${who}${String(op.args?.label)}: GET ${String(op.args?.service)}${String(op.args?.path)} → ${heap}${held}${outcome(op)}`;
  }
  if (op.action === 'wait') return `  ${who}${String(op.args?.why)} ${ms}`;
  if (op.action === 'visit') {
    const counts = op.value as { ok: number; failed: number };
    return `  ${who}${String(op.args?.count)} first visits, ${String(op.args?.concurrency)} at a time: ${counts.ok} ok, ${counts.failed} failed ${ms}`;
  }
  const request = requests[op.action]?.(op) ?? op.action;
  const parts = [request, op.servedBy ?? 'no node', op.sessionState ?? '-', op.user ? `user ${op.user}` : '', formatCart(op.cart)].filter(Boolean);
  return `  ${who}${parts.join(' → ')}${outcome(op)}`;
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

export function formatTable(results: readonly ScenarioResult[], color: boolean): string {
  const rows = results.map((r) => [r.name, r.expected, r.observed, `${(r.durationMs / 1000).toFixed(1)} s`, r.passed ? 'PASS' : 'FAIL', keyMetrics(r.metrics)]);
  const header = ['scenario', 'expected', 'observed', 'time', 'result', 'key metrics'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
        if (!color || i !== 4) return padded;
        return styleText(cell === 'PASS' ? 'green' : 'red', padded);
      })
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
