// The cart as CART_MODE=session keeps it in the session object, in either of two versions of the
// shop: list (version 1, an array of lines) or map (version 2, { lines: { sku: qty } }). A strict
// node reads only the shape it writes, as code written for one version does: version 1 finds no
// array and fails (a TypeError, answered 500); version 2 finds no `lines` and sees an empty cart,
// which its next write then stores. A tolerant node reads both, whichever it writes, so that a
// rolling deploy can move the shape without a node ever meeting one it cannot read.
import type { SessionCartReader, SessionCartShape } from '../config.ts';
import type { CartLine } from '../contract.ts';

/** Version 2's shape. */
interface CartMap {
  lines: Record<string, number>;
}

/** What the session's cart field holds: a node of either version may have written it. */
export type StoredCart = CartLine[] | CartMap;

function readList(stored: StoredCart | undefined): CartLine[] {
  // Version 1 trusts its own shape: a map has no .map, and the request fails there.
  return ((stored ?? []) as CartLine[]).map((line) => ({ sku: line.sku, qty: line.qty }));
}

function readMap(stored: StoredCart | undefined): CartLine[] {
  // Version 2 trusts its own shape: a list has no `lines`, so the cart reads as empty.
  return Object.entries((stored as CartMap | undefined)?.lines ?? {}).map(([sku, qty]) => ({ sku, qty }));
}

export interface SessionCartCodec {
  read(stored: StoredCart | undefined): CartLine[];
  write(lines: CartLine[]): StoredCart;
}

export function sessionCartCodec(shape: SessionCartShape, reader: SessionCartReader): SessionCartCodec {
  const readOwn = shape === 'list' ? readList : readMap;
  return {
    read: reader === 'tolerant' ? (stored) => (Array.isArray(stored) ? readList(stored) : readMap(stored)) : readOwn,
    write: shape === 'list' ? (lines) => lines : (lines) => ({ lines: Object.fromEntries(lines.map((line) => [line.sku, line.qty])) }),
  };
}
