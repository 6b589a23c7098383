// Were acknowledged adds lost when one device sent many at once, and did the cart's limits hold?
// A pure function of the history: each burst (a device's adds tagged with one burst name) is
// judged against the device's first successful cart read after the burst's last answer. Only a
// 2xx makes an add acknowledged; an add with no answer (info) may or may not count.
import { maxCartLines, maxQtyPerLine } from '../../../app/contract.ts';
import { lostAdds } from './lost-adds.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { formatCart, shopActions, type ShopOp } from '../actions.ts';
import { lineLimitBurst, qtyLimitBurst } from '../bursts.ts';

export interface BurstFigures {
  bursts: number;
  sent: number;
  acknowledged: number;
  refused: number;
  unknown: number;
  /** Acknowledged adds the cart read after the burst still shows. */
  kept: number;
  lost: number;
  lostPercent: number;
}

interface BurstResult {
  name: string;
  figures: BurstFigures;
  /** A cart that broke a limit, or more acknowledged distinct lines than a cart can hold. */
  limitBroken: ShopOp | undefined;
  firstLost: FirstBad | undefined;
  /** Every acknowledged add the cart read after the burst lacks. */
  lostOps: ShopOp[];
  finalCart: ShopOp | undefined;
}

function judge(name: string, adds: ShopOp[], history: readonly ShopOp[]): BurstResult {
  const device = adds[0]!.process;
  const lastIndex = Math.max(...adds.map((op) => op.index));
  const finalCart = history.find((op) => op.index > lastIndex && op.process === device && op.action === shopActions.viewCart && op.type === 'ok' && op.cart);
  const acknowledged = adds.filter((op) => op.type === 'ok');
  const unknown = adds.filter((op) => op.type === 'info');
  // Per sku: what the acknowledged adds put in, against what the cart shows; a shortfall is lost adds.
  const lostOps = finalCart ? lostAdds(acknowledged, finalCart.cart) : [];
  const lost = lostOps.length;
  const firstLost = lostOps[0] && finalCart ? firstBad(lostOps[0], `${String(lostOps[0].args?.sku)} in the cart read at #${finalCart.index}`, `#${finalCart.index} showed ${formatCart(finalCart.cart)}`) : undefined;
  const observedCarts = [...acknowledged, ...(finalCart ? [finalCart] : [])];
  const overLimit = observedCarts.find((op) => (op.cart?.length ?? 0) > maxCartLines || (op.cart ?? []).some((l) => l.qty > maxQtyPerLine));
  const acknowledgedLines = new Set(acknowledged.map((op) => String(op.args?.sku))).size;
  const limitBroken = overLimit ?? (acknowledgedLines > maxCartLines ? acknowledged.at(-1) : undefined);
  const figures: BurstFigures = {
    bursts: 1,
    sent: adds.length,
    acknowledged: acknowledged.length,
    refused: adds.filter((op) => op.type === 'fail').length,
    unknown: unknown.length,
    kept: acknowledged.length - lost,
    lost,
    lostPercent: 0,
  };
  return { name, figures, limitBroken, firstLost, lostOps, finalCart };
}

function sum(a: BurstFigures, b: BurstFigures): BurstFigures {
  return {
    bursts: a.bursts + b.bursts,
    sent: a.sent + b.sent,
    acknowledged: a.acknowledged + b.acknowledged,
    refused: a.refused + b.refused,
    unknown: a.unknown + b.unknown,
    kept: a.kept + b.kept,
    lost: a.lost + b.lost,
    lostPercent: 0,
  };
}

export interface BurstAnalysis {
  results: BurstResult[];
  /** Figures summed over the bursts of each name. */
  byName: Record<string, BurstFigures>;
}

/** Every burst of the history judged, and the figures per burst name. */
export function analyzeBursts(history: readonly ShopOp[]): BurstAnalysis {
  const bursts = new Map<string, ShopOp[]>();
  for (const op of history) {
    const burst = op.args?.burst;
    if (op.action !== shopActions.addItem || typeof burst !== 'string') continue;
    const key = `${op.process}\u0000${burst}`;
    bursts.set(key, [...(bursts.get(key) ?? []), op]);
  }
  const results = [...bursts].map(([key, adds]) => judge(key.split('\u0000')[1]!, adds, history));
  const byName: Record<string, BurstFigures> = {};
  for (const result of results) byName[result.name] = byName[result.name] ? sum(byName[result.name]!, result.figures) : result.figures;
  for (const figures of Object.values(byName)) figures.lostPercent = figures.acknowledged === 0 ? 0 : Math.round((figures.lost / figures.acknowledged) * 1000) / 10;
  return { results, byName };
}

/**
 * writes-lost: some acknowledged add is missing from the cart read after its burst.
 * limit-broken: nothing lost, but a cart passed a limit or more lines were acknowledged than a
 * cart holds. no-write-lost: every burst was read back, nothing lost, every limit held.
 * inconclusive: no burst, or a burst without a cart read after it.
 */
export function lostUpdateVerdict(history: readonly ShopOp[]): Verdict {
  const { results, byName } = analyzeBursts(history);
  const total = Object.values(byName).reduce(sum, { bursts: 0, sent: 0, acknowledged: 0, refused: 0, unknown: 0, kept: 0, lost: 0, lostPercent: 0 });
  const perNode: Record<string, number> = {};
  for (const op of history) if (op.action === shopActions.addItem && op.args?.burst !== undefined && op.servedBy) perNode[op.servedBy] = (perNode[op.servedBy] ?? 0) + 1;
  // One line per burst name, e.g. "at-once-20": "100 of 100 acknowledged, 83 lost (83%)".
  const describe = (name: string, f: BurstFigures) => {
    const after = results.filter((r) => r.name === name).map((r) => r.finalCart?.cart ?? []);
    const shape = name === lineLimitBurst ? `, ${Math.max(...after.map((c) => c.length))} lines after` : name === qtyLimitBurst ? `, ${formatCart(after[0])} after` : '';
    return `${f.acknowledged} of ${f.sent} acknowledged, ${f.lost} lost (${f.lostPercent}%)${f.unknown ? `, ${f.unknown} unknown` : ''}${shape}`;
  };
  const metrics = {
    acknowledged: total.acknowledged,
    lost: total.lost,
    limitsHeld: results.every((r) => !r.limitBroken),
    bursts: Object.fromEntries(Object.entries(byName).map(([name, f]) => [name, describe(name, f)])),
    addsPerNode: perNode,
  };

  const lostFirst = results.map((r) => r.firstLost).filter((b): b is FirstBad => b !== undefined).sort((a, b) => a.index - b.index)[0];
  const lostWrites = results.flatMap((r) => r.lostOps.map((op) => op.index)).sort((a, b) => a - b);
  if (lostFirst) return { observed: 'writes-lost', metrics, firstBad: lostFirst, lostWrites };
  const broken = results.find((r) => r.limitBroken)?.limitBroken;
  if (broken) return { observed: 'limit-broken', metrics, firstBad: firstBad(broken, `at most ${maxCartLines} lines of at most ${maxQtyPerLine}`, formatCart(broken.cart)) };
  if (results.length === 0 || results.some((r) => !r.finalCart)) return { observed: 'inconclusive', metrics };
  return { observed: 'no-write-lost', metrics };
}
