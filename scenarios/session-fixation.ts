import { fixationVerdict } from './shop/checkers/login.ts';
import type { Scenario } from '../runner/scenario.ts';
import { shopDevice } from './shop/device.ts';
import type { ShopOp } from './shop/actions.ts';
import { labPassword } from './shop/steps.ts';

// An attacker who planted or read the session id before login must gain nothing from it after.
export const sessionFixation: Scenario<ShopOp> = {
  name: 'session-fixation',
  summary: 'The session id before login differs from the one after; the old id leads nowhere.',
  topology: 'postgres-2',
  expected: 'session-regenerated',
  async run(lab) {
    const username = `eve-target-${Date.now().toString(36)}`;
    await shopDevice(lab, 'setup').signup(username, labPassword);
    const victim = shopDevice(lab, 'victim');
    const attacker = shopDevice(lab, 'attacker');
    await victim.viewSession();
    await victim.viewSession();
    attacker.adoptCookieOf(victim);
    await victim.login(username, labPassword);
    await victim.viewSession();
    await attacker.viewCart();
  },
  check: fixationVerdict,
};
