// In CART_MODE=atomic a request that shows the cart would ask the backend twice: the session
// first (express-session, before any route), then its cart. Where the backend can answer both at
// once (Redis: one script; PostgreSQL: one SELECT with a join), the store's get reads the cart
// with the session and the request keeps it on its session object, so GET /cart costs one round
// trip. The cart is as it was when the request's session was read, a moment inside the request,
// like any read's. Every request that brings a session reads its cart this way, also one that then
// changes the cart instead: a few more bytes in the same round trip, where GET /cart saves a second.
import type { Store, SessionData } from 'express-session';
import type { CartLine } from '../contract.ts';

/** A session as its store keeps it (null when there is none) and that session's cart. */
export interface SessionAndCart {
  session: SessionData | null;
  cart: CartLine[];
}

export type ReadSessionAndCart = (sessionId: string) => Promise<SessionAndCart>;

/** On the loaded session data, then on req.session: never serialized (a symbol key). */
const loadedCart = Symbol('loadedCart');
type Carrying = { [loadedCart]?: CartLine[] };

/** Replaces the store's get in place with read, and hands the cart on to the request's session object. */
export function cartLoadsWithSession(store: Store, read: ReadSessionAndCart): void {
  const createSession = store.createSession;
  store.get = (sid, callback) => {
    read(sid).then(
      ({ session, cart }) => {
        if (session) (session as Carrying)[loadedCart] = cart;
        callback(null, session);
      },
      (err: unknown) => callback(err),
    );
  };
  store.createSession = (req, data) => {
    const session = createSession.call(store, req, data);
    (session as unknown as Carrying)[loadedCart] = (data as Carrying)[loadedCart];
    return session;
  };
}

/**
 * The cart read with this session object, once: a second view, or one after a change in the same
 * request, asks the store again. undefined when none was read with it (a new or regenerated session).
 */
export function takeLoadedCart(session: object): CartLine[] | undefined {
  const carrying = session as Carrying;
  const cart = carrying[loadedCart];
  // Not delete: a deleted property turns the session object into a slow dictionary for the rest
  // of the request (express-session serializes it again to see whether it changed).
  carrying[loadedCart] = undefined;
  return cart;
}
