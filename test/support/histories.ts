// Hand-written histories for checker tests: a shop op is a few fields on top of a successful,
// existing-session answer from the laptop.
import type { OpInput } from '../../runner/history.ts';
import { shopActions, type ShopOp } from '../../scenarios/shop/actions.ts';

export type OpSketch = Partial<OpInput<ShopOp>>;

export function history(...inputs: OpSketch[]): ShopOp[] {
  return inputs.map((input, index) => ({ process: 'laptop', action: shopActions.viewCart, type: 'ok', startedMs: index, endedMs: index + 1, ...input, index }));
}

const lines = (cart: [string, number][]) => cart.map(([sku, qty]) => ({ sku, qty }));

export const add = (sku: string, servedBy: string, cart: [string, number][], extra: OpSketch = {}): OpSketch => ({
  action: shopActions.addItem,
  args: { sku, qty: 1 },
  servedBy,
  sessionState: 'existing',
  session: 's1',
  cart: lines(cart),
  ...extra,
});

export const viewCart = (servedBy: string, cart: [string, number][], extra: OpSketch = {}): OpSketch => ({
  action: shopActions.viewCart,
  servedBy,
  sessionState: 'existing',
  session: 's1',
  cart: lines(cart),
  ...extra,
});

export const fault = (action: string, service: string): OpSketch => ({ process: 'nemesis', action, args: { service } });
