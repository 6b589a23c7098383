import type { Store } from 'express-session';
import type { CartStore } from '../carts/cart-store.ts';
import type { ReadSessionAndCart } from '../carts/loaded-cart.ts';
import type { StoreKind } from '../config.ts';
import type { ShardCount } from '../contract.ts';

/** A session store that answered once, with what the node needs around it. */
export interface OpenedStore {
  kind: StoreKind;
  /** express-session's store; absent for the cookie store, which keeps no server state. */
  store?: Store;
  /** Where carts live in CART_MODE=atomic: the same backend, keyed by session id (absent for the cookie store). */
  carts?: CartStore;
  /** Reads a session and its cart in one round trip, where the backend can (see cartLoadsWithSession). */
  readSessionAndCart?: ReadSessionAndCart;
  /** Where the sessions live, without credentials (for logs). */
  target: string;
  /** Resolves when the store answers now; rejects (fast) when it does not. */
  ping(): Promise<void>;
  /** How many sessions this process holds, expired ones included (only for stores in the heap). */
  sessionsHeld?(): number;
  /**
   * How many live sessions the store holds now, as the store itself counts them (Redis keys under
   * the prefix, live rows, files in this node's directory, this heap's sessions); absent for the
   * cookie store, which holds none.
   */
  countSessions?(): Promise<number>;
  /** A Redis Cluster's shards, each with its slots and its primary's count (GET /debug/sessions). */
  countShards?(): Promise<ShardCount[]>;
  /** Stops timers and closes clients (the carts' too), so that the process can exit. */
  close(): Promise<void>;
}
