import { revocationVerdict } from '../runner/checkers/login.ts';
import type { Scenario } from '../runner/scenario.ts';
import { labPassword } from './steps.ts';

// Token sessions in a shared database can be revoked from anywhere: one device, or all of them.
export const logoutAll: Scenario = {
  name: 'logout-all',
  summary: 'Device A revokes device B: B is refused on every node while A works; after logout-all every token is refused.',
  topology: 'file-2',
  expected: 'revoked-everywhere',
  async run(lab) {
    const username = `grace-${Date.now().toString(36)}`;
    // Apps with bearer tokens: a refused token stays on the device, so each next request shows its fate.
    const a = lab.device('device-a', { bearer: true });
    const b = lab.device('device-b', { bearer: true });
    const c = lab.device('device-c', { bearer: true });
    await a.signup(username, labPassword);
    await b.login(username, labPassword);
    await c.login(username, labPassword);
    await b.me();
    await a.revokeDevice('device-b');
    await b.me();
    await b.read();
    await a.me();
    await a.read();
    await a.logoutAll();
    await c.me();
    await c.read();
  },
  check: revocationVerdict,
};
