import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { replayVerdict } from './shop/checkers/cookie.ts';
import { shopDevice } from './shop/device.ts';

// What no server state costs: nothing on the server can end a session. After its owner ends it,
// a copy of the old cookie (a shared computer, a stolen backup, a proxy log) still opens on every
// node until the seal expires. With a store, ending a session destroys it there, and the DB-backed
// login tokens are refused on every node the moment they are revoked (logout-all).
export const cookieReplay: Scenario<ShopOp> = {
  name: 'cookie-replay',
  summary: 'cookie-2: after its owner ends the session, a copy of the old cookie still opens it, cart and all, on every node.',
  topology: 'cookie-2',
  expected: 'replay-accepted',
  async run(lab) {
    const owner = shopDevice(lab, 'owner');
    const copy = shopDevice(lab, 'copy');
    await owner.add('apple', 2);
    await owner.viewCart();
    copy.adoptCookieOf(owner);
    await owner.endSession();
    await owner.viewCart();
    for (let i = 0; i < 4; i++) await copy.viewCart();
  },
  check: replayVerdict,
};
