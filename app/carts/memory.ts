// Carts in the node's own memory, beside MemoryStore's sessions: lost with the process, like them.
// Every change is one synchronous step of the event loop, so no two requests interleave inside it.
import type { CartLine } from '../contract.ts';
import { addToCart, removeFromCart, type CartStore } from './cart-store.ts';

interface Entry {
  lines: CartLine[];
  expiresAtMs: number;
}

export function memoryCarts(ttlSeconds: number): CartStore {
  const carts = new Map<string, Entry>();
  const ttlMs = ttlSeconds * 1000;
  const live = (sessionId: string): Entry | undefined => {
    const entry = carts.get(sessionId);
    if (entry && entry.expiresAtMs <= Date.now()) {
      carts.delete(sessionId);
      return undefined;
    }
    return entry;
  };
  const change = (sessionId: string, next: (lines: CartLine[]) => CartLine[]): CartLine[] => {
    const lines = next(live(sessionId)?.lines ?? []);
    carts.set(sessionId, { lines, expiresAtMs: Date.now() + ttlMs });
    return lines;
  };
  // Unlike MemoryStore, which keeps an expired session until someone asks for it, expired carts are swept.
  const sweep = setInterval(() => {
    for (const [sessionId, entry] of carts) if (entry.expiresAtMs <= Date.now()) carts.delete(sessionId);
  }, Math.min(ttlMs, 60_000));
  sweep.unref();
  return {
    view: async (sessionId) => live(sessionId)?.lines ?? [],
    add: async (sessionId, sku, qty) => change(sessionId, (lines) => addToCart(lines, sku, qty)),
    remove: async (sessionId, sku) => change(sessionId, (lines) => removeFromCart(lines, sku)),
    refresh: async (sessionId) => {
      const entry = live(sessionId);
      if (entry) entry.expiresAtMs = Date.now() + ttlMs;
    },
    delete: async (sessionId) => {
      carts.delete(sessionId);
    },
    close: async () => clearInterval(sweep),
  };
}
