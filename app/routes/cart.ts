import type { IRouter, Request, Response } from 'express';
import type { Auth } from '../auth/index.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import type { RequestCart } from '../carts/request-cart.ts';
import { maxQtyPerLine, type CartLine } from '../contract.ts';

const skuPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export function parseSku(value: unknown): string {
  if (typeof value !== 'string' || !skuPattern.test(value)) {
    throw new HttpError('invalid_field', 'sku must be 1 to 32 letters, digits, "_" or "-", starting with a letter or digit', 'sku');
  }
  return value;
}

export function parseQty(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxQtyPerLine) {
    throw new HttpError('invalid_field', `qty must be an integer from 1 to ${maxQtyPerLine}`, 'qty');
  }
  return value;
}

export function jsonBody(req: Request): Record<string, unknown> {
  if (!req.is('application/json')) throw new HttpError('unsupported_media_type');
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('invalid_field', 'the body must be a JSON object like {"sku": "apple", "qty": 1}', 'body');
  }
  return body as Record<string, unknown>;
}

/**
 * The cart: beside the session for an anonymous visitor (lost with the session; where exactly is
 * CART_MODE's choice, see RequestCart), in the database for a logged-in user (the same on every
 * device and every node).
 */
export function cartRoutes(router: IRouter, config: Readonly<Config>, cartOf: (req: Request) => RequestCart, auth: Auth | undefined): void {
  const json = (res: Response, items: CartLine[], user?: string) => res.json({ node: config.nodeName, ...(user ? { user } : {}), items });

  router.get('/cart', async (req, res) => {
    const session = res.locals.userSession;
    if (session && auth) json(res, await auth.store.cart(session.userId), session.username);
    else json(res, await cartOf(req).view());
  });

  // ?then=cart answers 303 See Other to /cart instead of the cart itself: Post/Redirect/Get, as a
  // form without script does, so that a reload does not add again.
  router.post('/cart/items', async (req, res) => {
    const body = jsonBody(req);
    const sku = parseSku(body.sku);
    const qty = parseQty(body.qty);
    const then = req.query.then;
    if (then !== undefined && then !== 'cart') throw new HttpError('invalid_field', 'then must be "cart" (answer 303 to /cart) when given', 'then');
    const session = res.locals.userSession;
    const items = session && auth ? await auth.store.addToCart(session.userId, sku, qty) : await cartOf(req).add(sku, qty);
    if (then === 'cart') res.redirect(303, '/cart');
    else json(res, items, session && auth ? session.username : undefined);
  });

  // Idempotent: removing a sku that is not in the cart answers the cart as it is, so a client
  // that retries a delete whose answer it never saw gets the same result.
  router.delete('/cart/items/:sku', async (req, res) => {
    const sku = parseSku(req.params.sku);
    const session = res.locals.userSession;
    if (session && auth) {
      await auth.store.removeFromCart(session.userId, sku);
      json(res, await auth.store.cart(session.userId), session.username);
    } else {
      json(res, await cartOf(req).remove(sku));
    }
  });
}
