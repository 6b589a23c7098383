import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { oldCookieReader, resurrectionVerdict } from './shop/checkers/resurrection.ts';
import { shopDevice } from './shop/device.ts';

const trials = 30;

// A device ends its session while other requests of its own (three adds, sent at the same moment,
// as a page with background requests does) are in flight on both nodes. Where an add that read
// the session before the end saves the whole session object after it, the save puts the destroyed
// session back (expressjs/session#632; Django fixed the same in its sessions, ticket #21608), and
// a copy of the old cookie finds it
// again, cart and all. Where an add only changes the cart beside the session, and a touch only
// extends a session that still exists (a script that leaves a missing key alone, an UPDATE of its
// row), the session stays ended.
async function endWithAddInFlight(lab: Lab): Promise<void> {
  const phone = shopDevice(lab, 'phone');
  const copy = shopDevice(lab, oldCookieReader);
  await phone.add('apple');
  for (let trial = 0; trial < trials; trial++) {
    copy.adoptCookieOf(phone);
    await Promise.all([phone.add('tea'), phone.add('bread'), phone.add('milk'), phone.endSession()]);
    await copy.viewCart();
    // The phone starts the next trial with a session of its own again (its new one, or the old
    // one if that came back).
    await phone.add('apple');
  }
}

export const logoutResurrection: Scenario<ShopOp> = {
  name: 'logout-resurrection',
  summary: `redis-2-cart-in-session: ${trials} times, a device ends its session while three adds are in flight; an add that read the session before the end saves all of it after, and a copy of the old cookie finds the ended session again.`,
  topology: 'redis-2-cart-in-session',
  expected: 'session-resurrected',
  run: endWithAddInFlight,
  check: resurrectionVerdict,
};

export const logoutStaysEnded: Scenario<ShopOp> = {
  ...logoutResurrection,
  name: 'logout-stays-ended',
  summary: `redis-2 (atomic carts): the same ${trials} races; an add changes only the cart beside the session and a touch only extends a session that exists, so the ended session stays ended every time.`,
  topology: 'redis-2',
  expected: 'session-stayed-ended',
};

export const logoutResurrectionPostgres: Scenario<ShopOp> = {
  ...logoutResurrection,
  name: 'logout-resurrection-postgres',
  summary: `The same on postgres-2-cart-in-session: connect-pg-simple's save is an upsert, and it brings the ended session's row back.`,
  topology: 'postgres-2-cart-in-session',
};

export const logoutStaysEndedTouch: Scenario<ShopOp> = {
  ...logoutStaysEnded,
  name: 'logout-stays-ended-touch',
  summary: `redis-2-touch-always (atomic carts, every request extends the session): the same races; the touch extends a session only where its key still exists (one script, like EXPIRE), so the session stays ended.`,
  topology: 'redis-2-touch-always',
};

export const logoutStaysEndedPostgres: Scenario<ShopOp> = {
  ...logoutStaysEnded,
  name: 'logout-stays-ended-postgres',
  summary: `postgres-2 (atomic carts): the same races; the session stays ended every time.`,
  topology: 'postgres-2',
};
