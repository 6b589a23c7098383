import { sessionAcrossFault } from '../runner/checkers/session-across-fault.ts';
import type { Scenario } from '../runner/scenario.ts';

// The article's first problem: sessions in process memory die with the process.
export const memoryRestart: Scenario = {
  name: 'memory-restart',
  summary: 'One node, sessions in memory: after a restart the same cookie finds no session (lost) and an empty cart.',
  topology: 'memory-1',
  expected: 'session-lost',
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
