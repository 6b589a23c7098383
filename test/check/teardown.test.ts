// The app's own processes end with `lab check` as the lab's do: Ctrl-C in the middle of a check,
// and kill -9 of the command itself (the process guard's death signal and PID namespace).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../runner/topology.ts';
import { startCli } from '../support/lab-cli.ts';
import { survivors } from '../support/survivors.ts';

// The Flask example's processes work in its directory: whatever is left there is the app's.
const appDir = join(projectRoot, 'examples', 'flask');

/** Polls until the app runs (a check in progress), for at most ms; returns what runs then. */
async function appRunning(ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (survivors(appDir).length === 0 && Date.now() < deadline) await sleep(20);
  return survivors(appDir);
}

async function survivorsAfter(ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (survivors(appDir).length > 0 && Date.now() < deadline) await sleep(50);
  return survivors(appDir);
}

describe('lab check ends the app it started', () => {
  it('on Ctrl-C in the middle of a check', { timeout: 60_000 }, async () => {
    const cli = startCli('check', 'examples/flask/lab-app.yml');
    await cli.printed('▶ round-robin (cookie)', 40_000);
    expect((await appRunning(20_000)).length).toBeGreaterThan(0);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(survivors(appDir)).toEqual([]);
  });

  it('after kill -9 of the command, within 3 s', { timeout: 60_000 }, async () => {
    const cli = startCli('check', 'examples/flask/lab-app.yml');
    await cli.printed('▶ round-robin (cookie)', 40_000);
    expect((await appRunning(20_000)).length).toBeGreaterThan(0);
    process.kill(-cli.child.pid!, 'SIGKILL');
    expect(await survivorsAfter(3000)).toEqual([]);
  });
});
