// The shop workload's vocabulary: every action a device records, and the op it records. Checkers
// and devices name actions through these constants only, so a typo is a type error.
import type { CartLine } from '../../app/contract.ts';
import type { Op } from '../../runner/history.ts';

export const shopActions = {
  /** GET /cart */
  viewCart: 'view-cart',
  /** POST /cart/items */
  addItem: 'add-item',
  /** DELETE /cart/items/:sku */
  removeItem: 'remove-item',
  /** Any other GET with the device's cookie (e.g. /healthz: the store looks the session up, none is created). */
  getPath: 'get-path',
  /** GET /session */
  viewSession: 'view-session',
  /** DELETE /session: a new, empty session takes this one's place */
  endSession: 'end-session',
  signup: 'signup',
  login: 'login',
  /** GET /me */
  me: 'me',
  logout: 'logout',
  logoutAll: 'logout-all',
  /** GET /me/sessions */
  listSessions: 'list-sessions',
  /** DELETE /me/sessions/:id */
  revoke: 'revoke',
  /** Not a request: the device starts sending a session cookie copied from another device. */
  adoptCookie: 'adopt-cookie',
  /**
   * Not a request: the Redis Cluster slot of the session the device holds, as Redis hashes its key
   * (args.slot), computed from the id in the device's own cookie.
   */
  sessionSlot: 'session-slot',
  /** Product pages a crawler read (GET /products/:sku, no cookie), one op per second with its counts. */
  crawl: 'crawl',
  /** Many first visits at once, recorded as one op with its counts. */
  firstVisits: 'first-visits',
} as const;

export type ShopAction = (typeof shopActions)[keyof typeof shopActions];

/** Actions whose answer shows the cart of the session or the user (GET /healthz shows none, but reads the session). */
export const cartActions: ReadonlySet<string> = new Set([shopActions.viewCart, shopActions.addItem, shopActions.removeItem, shopActions.getPath]);

/** What a shop device records: the engine's op plus what shop answers carry. */
export interface ShopOp extends Op {
  /** The cart the answer showed. */
  cart?: CartLine[];
  /** The logged-in user the answer was for, if any. */
  user?: string;
  /** The size of the lab_sid Set-Cookie the answer carried (name, value and attributes), if any. */
  cookieBytes?: number;
  /**
   * How far ahead of the device's own clock, in seconds, the Expires that the node set on lab_sid
   * lies (the node computes it from its clock: a skewed node's is off by its skew).
   */
  cookieExpiresInSeconds?: number;
  /** How many nodes nginx sent the request to, when more than one (X-Upstream lists each it tried). */
  upstreamTries?: number;
}

export function formatCart(cart: readonly CartLine[] | undefined): string {
  if (!cart) return '';
  return cart.length === 0 ? 'cart empty' : `cart ${cart.map((l) => `${l.sku}×${l.qty}`).join(' ')}`;
}
