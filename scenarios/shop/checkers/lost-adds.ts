// Which acknowledged adds a cart read afterwards does not hold: per sku, the shortfall between what
// the acknowledged adds put in and what the cart shows, counted from the latest add backwards (a
// last-save-wins store drops the later ones; a store that lost its recent past, the recent ones).
// The report marks each of them, not only the first bad operation.
import type { CartLine } from '../../../app/contract.ts';
import type { ShopOp } from '../actions.ts';

export function lostAdds(acknowledgedAdds: readonly ShopOp[], cart: readonly CartLine[] | undefined): ShopOp[] {
  const shown = new Map((cart ?? []).map((line) => [line.sku, line.qty]));
  const bySku = new Map<string, ShopOp[]>();
  for (const op of acknowledgedAdds) bySku.set(String(op.args?.sku), [...(bySku.get(String(op.args?.sku)) ?? []), op]);
  const lost: ShopOp[] = [];
  for (const [sku, ops] of bySku) {
    let missing = ops.reduce((sum, op) => sum + Number(op.args?.qty), 0) - (shown.get(sku) ?? 0);
    for (const op of [...ops].reverse()) {
      if (missing <= 0) break;
      lost.push(op);
      missing -= Number(op.args?.qty);
    }
  }
  return lost.sort((a, b) => a.index - b.index);
}
