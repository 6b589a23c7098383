import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { loginCartVerdict } from './shop/checkers/login-cart.ts';
import { shopDevice } from './shop/device.ts';
import { labPassword } from './shop/steps.ts';

// A visitor fills a cart, then logs in to pay. The login gives the device a new session id (so
// that an id planted before login is worth nothing after it), and regenerating the session throws
// the old one away with everything in it: the app has to carry the cart over itself. passport
// 0.6 made every login regenerate, and its users met exactly this (jaredhanson/passport#973).
async function fillCartThenLogIn(lab: Lab): Promise<void> {
  const username = `shopper-${Date.now().toString(36)}`;
  await shopDevice(lab, 'setup').signup(username, labPassword);
  const laptop = shopDevice(lab, 'laptop');
  await laptop.add('apple', 2);
  await laptop.add('bread', 1);
  await laptop.viewCart();
  await laptop.login(username, labPassword);
  // Twice: round robin sends the two reads to different nodes.
  await laptop.viewCart();
  await laptop.viewCart();
}

export const loginKeepsCart: Scenario<ShopOp> = {
  name: 'login-keeps-cart',
  summary: 'redis-2: a visitor fills a cart and logs in; the session id changes (no fixation) and the shop folds the anonymous cart into the user’s before it does, so the cart is there after login on every node.',
  topology: 'redis-2',
  expected: 'cart-kept-at-login',
  run: fillCartThenLogIn,
  check: loginCartVerdict,
};

export const loginKeepsCartPostgres: Scenario<ShopOp> = {
  ...loginKeepsCart,
  name: 'login-keeps-cart-postgres',
  summary: 'The same on postgres-2 (sessions, carts and logins in PostgreSQL): the cart is there after login on every node.',
  topology: 'postgres-2',
};

export const loginDropsCart: Scenario<ShopOp> = {
  ...loginKeepsCart,
  name: 'login-drops-cart',
  summary: 'redis-2-login-drops-cart (LOGIN_CART=drop): login regenerates the session and nothing carries the cart over, so the visitor’s cart is gone the moment they log in.',
  topology: 'redis-2-login-drops-cart',
  expected: 'cart-lost-at-login',
};
