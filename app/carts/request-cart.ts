// The cart of one request's session, whichever CART_MODE: routes ask cartOf(req) and never care
// where the cart lives.
import type { Request } from 'express';
import type { Config } from '../config.ts';
import type { CartLine } from '../contract.ts';
import { saveSession } from '../session.ts';
import { addToCart, removeFromCart, type CartStore } from './cart-store.ts';
import { takeLoadedCart } from './loaded-cart.ts';
import { sessionCartCodec, type SessionCartCodec, type StoredCart } from './session-cart-shape.ts';

export interface RequestCart {
  view(): Promise<CartLine[]>;
  add(sku: string, qty: number): Promise<CartLine[]>;
  remove(sku: string): Promise<CartLine[]>;
}

declare module 'express-session' {
  interface SessionData {
    /** The cart, in CART_MODE=session only, in the shape SESSION_CART_SHAPE says (see session-cart-shape.ts). */
    cart: StoredCart;
    /**
     * Set at the first cart change when SESSION_SAVE_UNINITIALIZED=false: the change that makes
     * the session worth storing (its cart lives beside it, keyed by its id).
     */
    holdsCart: true;
  }
}

/**
 * CART_MODE=session: the cart is a field of the session object, as most tutorials keep it. Each
 * request changes its own copy of the session, and the store keeps whichever save comes last:
 * two adds at once can both be acknowledged while one of them is lost.
 */
function sessionFieldCart(req: Request, codec: SessionCartCodec, saveBeforeAnswer: boolean): RequestCart {
  const change = async (next: (lines: CartLine[]) => CartLine[]) => {
    const before = codec.read(req.session.cart);
    const after = next(before);
    if (after !== before) {
      req.session.cart = codec.write(after);
      // Saved before the answer, so that a store failure is a 503 rather than a silent loss, and
      // a request sent once the answer arrives reads the change. Otherwise express-session saves
      // it as the answer ends, after sending the headers.
      if (saveBeforeAnswer) await saveSession(req);
    }
    return after;
  };
  return {
    view: async () => codec.read(req.session.cart),
    add: (sku, qty) => change((lines) => addToCart(lines, sku, qty)),
    remove: (sku) => change((lines) => (lines.some((l) => l.sku === sku) ? removeFromCart(lines, sku) : lines)),
  };
}

/**
 * CART_MODE=atomic: each change is one atomic operation of the store's backend, keyed by the
 * session id. A view uses the cart read with the session when there is one (see loaded-cart.ts);
 * a change makes it stale, so it is dropped. When new sessions are not stored until they hold
 * something, the first change stores this one first: a cart keyed by an id no stored session has
 * would be lost with the next request, which gets a new id.
 */
function atomicCart(req: Request, carts: CartStore, saveUninitialized: boolean): RequestCart {
  const storeSession = async () => {
    if (saveUninitialized || req.session.holdsCart) return;
    req.session.holdsCart = true;
    await saveSession(req);
  };
  return {
    view: async () => takeLoadedCart(req.session) ?? carts.view(req.sessionID),
    add: async (sku, qty) => {
      takeLoadedCart(req.session);
      await storeSession();
      return carts.add(req.sessionID, sku, qty);
    },
    remove: async (sku) => {
      takeLoadedCart(req.session);
      return carts.remove(req.sessionID, sku);
    },
  };
}

type CartConfig = Pick<Config, 'cartMode' | 'sessionSaveUninitialized' | 'sessionSaveBeforeAnswer' | 'sessionCartShape' | 'sessionCartReader'>;

export function requestCarts(config: Readonly<CartConfig>, carts: CartStore | undefined): (req: Request) => RequestCart {
  if (config.cartMode === 'session') {
    const codec = sessionCartCodec(config.sessionCartShape, config.sessionCartReader);
    return (req) => sessionFieldCart(req, codec, config.sessionSaveBeforeAnswer);
  }
  if (!carts) throw new Error('CART_MODE=atomic needs a store with carts');
  return (req) => atomicCart(req, carts, config.sessionSaveUninitialized);
}
