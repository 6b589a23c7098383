import { fixationVerdict } from '../runner/checkers/login.ts';
import type { Scenario } from '../runner/scenario.ts';
import { labPassword } from './steps.ts';

// An attacker who planted or read the session id before login must gain nothing from it after.
export const sessionFixation: Scenario = {
  name: 'session-fixation',
  summary: 'The session id before login differs from the one after; the old id leads nowhere.',
  topology: 'postgres-2',
  expected: 'session-regenerated',
  async run(lab) {
    const username = `eve-target-${Date.now().toString(36)}`;
    await lab.device('setup').signup(username, labPassword);
    const victim = lab.device('victim');
    const attacker = lab.device('attacker');
    await victim.session();
    await victim.session();
    attacker.sessionCookie = victim.sessionCookie;
    await victim.login(username, labPassword);
    await victim.session();
    await attacker.read();
  },
  check: (history) => fixationVerdict(history, 'victim', 'attacker'),
};
