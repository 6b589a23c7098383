// The lab's command line as a terminal runs it: a process group of its own, its output
// collected, and a wait for a line. Whatever a test started and left running is stopped after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import { projectRoot } from '../../runner/topology.ts';

export function startCli(...args: string[]) {
  // A process group of its own, as a terminal gives a command: kill -9 of that group is a closed terminal.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scenarios/lab.ts', ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' }, detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const printed = async (text: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never printed "${text}":\n${output}`);
      await sleep(25);
    }
  };
  clis.push(child);
  return { child, exited, printed, output: () => output };
}

const clis: ChildProcess[] = [];
// A test that failed midway still lets the CLI tear its topology down.
afterEach(async () => {
  for (const child of clis.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

