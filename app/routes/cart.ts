import { Router, type Request, type Response } from 'express';
import type { Auth } from '../auth/index.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import { maxCartLines, maxQtyPerLine, type CartLine } from '../contract.ts';
import { saveSession } from '../session.ts';

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

/** Adds qty of sku to a cart, as a new array (the session is only marked modified when it changes). */
export function addToCart(cart: readonly CartLine[], sku: string, qty: number): CartLine[] {
  const line = cart.find((l) => l.sku === sku);
  if (!line && cart.length >= maxCartLines) {
    throw new HttpError('invalid_field', `the cart holds at most ${maxCartLines} different skus`, 'sku');
  }
  if (line && line.qty + qty > maxQtyPerLine) {
    throw new HttpError('invalid_field', `a cart line holds at most ${maxQtyPerLine} of one sku (has ${line.qty})`, 'qty');
  }
  return line ? cart.map((l) => (l.sku === sku ? { sku, qty: l.qty + qty } : l)) : [...cart, { sku, qty }];
}

/**
 * The cart: in the session for an anonymous visitor (lost with the session), in the database for
 * a logged-in user (the same on every device and every node).
 */
export function cartRoutes(config: Readonly<Config>, auth: Auth | undefined): Router {
  const router = Router();

  const answer = async (req: Request, res: Response) => {
    const session = res.locals.userSession;
    if (session && auth) res.json({ node: config.nodeName, user: session.username, items: await auth.store.cart(session.userId) });
    else res.json({ node: config.nodeName, items: req.session.cart ?? [] });
  };

  router.get('/cart', answer);

  router.post('/cart/items', async (req, res) => {
    const body = jsonBody(req);
    const sku = parseSku(body.sku);
    const qty = parseQty(body.qty);
    const session = res.locals.userSession;
    if (session && auth) {
      if (!(await auth.store.addToCart(session.userId, sku, qty, maxQtyPerLine, maxCartLines))) {
        throw new HttpError('invalid_field', `a cart holds at most ${maxCartLines} different skus and ${maxQtyPerLine} of one`, 'qty');
      }
    } else {
      req.session.cart = addToCart(req.session.cart ?? [], sku, qty);
      await saveSession(req);
    }
    await answer(req, res);
  });

  // Idempotent: removing a sku that is not in the cart answers the cart as it is, so a client
  // that retries a delete whose answer it never saw gets the same result.
  router.delete('/cart/items/:sku', async (req, res) => {
    const sku = parseSku(req.params.sku);
    const session = res.locals.userSession;
    if (session && auth) {
      await auth.store.removeFromCart(session.userId, sku);
    } else {
      const cart = req.session.cart ?? [];
      if (cart.some((l) => l.sku === sku)) {
        req.session.cart = cart.filter((l) => l.sku !== sku);
        await saveSession(req);
      }
    }
    await answer(req, res);
  });

  return router;
}
