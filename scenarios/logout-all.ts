import { revocationVerdict } from './shop/checkers/login.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';
import { labPassword } from './shop/steps.ts';

// Token sessions in a shared database can be revoked from anywhere: one device, or all of them.
export const logoutAll: Scenario<ShopOp> = {
  name: 'logout-all',
  summary: 'Device A revokes device B: B is refused on every node while A works; after logout-all every token is refused.',
  topology: 'file-2',
  expected: 'revoked-everywhere',
  async run(lab) {
    const username = `grace-${Date.now().toString(36)}`;
    // Apps with bearer tokens: a refused token stays on the device, so each next request shows its fate.
    const a = shopDevice(lab, 'device-a', { bearer: true });
    const b = shopDevice(lab, 'device-b', { bearer: true });
    const c = shopDevice(lab, 'device-c', { bearer: true });
    await a.signup(username, labPassword);
    await b.login(username, labPassword);
    await c.login(username, labPassword);
    await b.me();
    await a.revokeDevice('device-b');
    await b.me();
    await b.viewCart();
    await a.me();
    await a.viewCart();
    await a.logoutAll();
    await c.me();
    await c.viewCart();
  },
  check: revocationVerdict,
};
