import { maxCartLines } from '../app/contract.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { cookieSizeVerdict } from './shop/checkers/cookie.ts';
import { shopDevice } from './shop/device.ts';

// A browser keeps a cookie of at most 4096 bytes and silently drops a larger one, and a cookie
// session with it. The cart grows the cookie by every line: with the longest skus (32 characters)
// and the largest quantities, the device adds lines until the shop refuses one.
export const cookieSize: Scenario<ShopOp> = {
  name: 'cookie-size',
  summary: 'cookie-2: lines of the longest skus added until the shop refuses; the refusal comes before the cookie outgrows what a browser keeps.',
  topology: 'cookie-2',
  expected: 'refused-before-drop',
  async run(lab) {
    const device = shopDevice(lab, 'device');
    for (let line = 0; line <= maxCartLines + 5; line++) {
      const op = await device.add(`line-${String(line).padStart(2, '0')}-${'x'.repeat(24)}`, 999);
      if (op.type === 'fail') break;
    }
    await device.viewCart();
  },
  check: cookieSizeVerdict,
};
