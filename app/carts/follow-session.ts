// In CART_MODE=atomic the cart lives beside the session, not in it: this makes it live exactly as
// long. Every time express-session extends the session (touch, save) the cart's expiry follows,
// and when the session is destroyed (logout, login's regenerate) the cart goes too.
import type { Store } from 'express-session';
import { thenRun as after } from '../stores/store-callback.ts';
import type { CartStore } from './cart-store.ts';

/** Wraps the store's touch, set and destroy in place (it stays the same object, events and all). */
export function cartFollowsSession(store: Store, carts: CartStore): void {
  const { set, destroy } = store;
  store.set = (sid, session, callback) => set.call(store, sid, session, after(() => carts.refresh(sid), callback));
  store.destroy = (sid, callback) => destroy.call(store, sid, after(() => carts.delete(sid), callback));
  if (store.touch) {
    const touch = store.touch;
    store.touch = (sid, session, callback) => touch.call(store, sid, session, after(() => carts.refresh(sid), callback));
  }
}
