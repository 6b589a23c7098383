// Where a session's cart lives in CART_MODE=atomic: beside the session in the session store's own
// backend, keyed by the session id, changed only by operations that are atomic there (one Lua
// script, one SQL statement, one synchronous step, one locked file), with the cart's limits
// checked inside that same operation. So concurrent requests of one session cannot lose each
// other's changes, and the limits hold however many arrive at once.
import { maxCartLines, maxQtyPerLine, type CartLine } from '../contract.ts';
import { HttpError } from '../errors.ts';

export interface CartStore {
  view(sessionId: string): Promise<CartLine[]>;
  /** Adds qty of sku and answers the cart; a refused add throws a 400 naming the limit. */
  add(sessionId: string, sku: string, qty: number): Promise<CartLine[]>;
  /** Removes the line (nothing to remove is fine) and answers the cart. */
  remove(sessionId: string, sku: string): Promise<CartLine[]>;
  /** The session's expiry was just extended: the cart's follows. */
  refresh(sessionId: string): Promise<void>;
  /** The session ended: its cart goes with it. */
  delete(sessionId: string): Promise<void>;
  /** Stops timers; clients belong to the session store. */
  close(): Promise<void>;
}

/** Why an add was refused; the stores that check limits in their backend report one of these. */
export type CartRefusal = 'too_many_lines' | 'too_many_of_one';

export function cartRefused(reason: CartRefusal, has?: number): HttpError {
  return reason === 'too_many_lines'
    ? new HttpError('invalid_field', `the cart holds at most ${maxCartLines} different skus`, 'sku')
    : new HttpError('invalid_field', `a cart line holds at most ${maxQtyPerLine} of one sku${has === undefined ? '' : ` (has ${has})`}`, 'qty');
}

/** Adds qty of sku to a cart, as a new array; throws the refusal when a limit would be passed. */
export function addToCart(cart: readonly CartLine[], sku: string, qty: number): CartLine[] {
  const line = cart.find((l) => l.sku === sku);
  if (!line && cart.length >= maxCartLines) throw cartRefused('too_many_lines');
  if (line && line.qty + qty > maxQtyPerLine) throw cartRefused('too_many_of_one', line.qty);
  return line ? cart.map((l) => (l.sku === sku ? { sku, qty: l.qty + qty } : l)) : [...cart, { sku, qty }];
}

export function removeFromCart(cart: readonly CartLine[], sku: string): CartLine[] {
  return cart.filter((l) => l.sku !== sku);
}

/** Adds lines to a cart: quantities capped at the per-line limit, lines past the line limit left out. */
export function mergeCarts(cart: readonly CartLine[], lines: readonly CartLine[]): CartLine[] {
  const merged = new Map(cart.map((l) => [l.sku, l.qty]));
  for (const { sku, qty } of lines) {
    const has = merged.get(sku);
    if (has !== undefined) merged.set(sku, Math.min(has + qty, maxQtyPerLine));
    else if (merged.size < maxCartLines) merged.set(sku, Math.min(qty, maxQtyPerLine));
  }
  return [...merged].map(([sku, qty]) => ({ sku, qty }));
}
