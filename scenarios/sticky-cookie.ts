import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { firstVisitVerdict } from './shop/checkers/affinity.ts';
import { shopDevice } from './shop/device.ts';

const visitors = 20;

// nginx's `hash $cookie_lab_sid consistent` places a request by the session cookie it carries.
// A new visitor's first request carries none, and nginx balances a request with an empty key
// round robin: the node it lands on creates the session and its cart. The second request carries
// the new cookie and goes wherever that session id hashes, which is the other node about half the
// time; that node's disk has no such session, so the first request's cart is lost (and the
// session created there in its place hashes anywhere again).
export const stickyCookie: Scenario<ShopOp> = {
  name: 'sticky-cookie',
  summary: `${visitors} new visitors on file-2-sticky-cookie (hash on lab_sid): the first request has no cookie yet, so its cart is often lost on the second.`,
  topology: 'file-2-sticky-cookie',
  expected: 'first-cart-lost',
  async run(lab) {
    for (let i = 1; i <= visitors; i++) {
      const visitor = shopDevice(lab, `visitor-${i}`);
      await visitor.add('apple');
      await visitor.viewCart();
      await visitor.viewCart();
    }
  },
  check: firstVisitVerdict,
};
