import { sessionAcrossFault } from '../runner/checkers/session-across-fault.ts';
import type { Scenario } from '../runner/scenario.ts';

// The article's fix for the restart: one file per session on the node's disk.
export const fileRestart: Scenario = {
  name: 'file-restart',
  summary: 'One node, sessions in files on its disk: the cart survives a restart.',
  topology: 'file-1',
  expected: 'session-kept',
  async run(lab) {
    const phone = lab.device('phone');
    await phone.add('apple', 2);
    await phone.add('bread', 1);
    await phone.read();
    await lab.fault('restart', 'server_1');
    await phone.read();
  },
  check: (history) => sessionAcrossFault(history, 'restart'),
};
