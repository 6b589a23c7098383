// `lab up <topology>` in one terminal, `lab run <scenario>` in another: the run attaches to the
// topology the up keeps, its requests show in the up's output, its faults run there, and the
// topology is left running as found.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveUpRecord } from '../../runner/control/up-record.ts';
import { projectRoot } from '../../runner/topology.ts';
import { startCli } from '../support/lab-cli.ts';
import { survivors } from '../support/survivors.ts';

describe('a lab run beside a lab up of its topology (local backend)', () => {
  it('attaches to it, restarts its nodes there, and leaves it running as found', async () => {
    const up = startCli('up', 'cookie-2');
    await up.printed('A lab run of cookie-2 in another terminal runs against it', 60_000);
    const upRunDir = join(projectRoot, /Logs and data: (\S+)/.exec(up.output())![1]!);
    const before = survivors(upRunDir).length;
    expect(liveUpRecord('cookie-2')?.balancerUrl).toBeDefined();

    const run = startCli('run', 'cookie-round-robin');
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain('attached to the topology cookie-2 that lab up keeps up');
    expect(run.output()).toContain('left running as found');
    // The scenario's requests went through the up's nginx, and its restarts were the up's own.
    expect(up.output()).toMatch(/nginx +\| .*device="laptop"/);
    expect(up.output()).toMatch(/server_1 +\| server_1 SIGTERM: stopping/);
    // Both nodes run again there: as many processes as before the run.
    expect(survivors(upRunDir).length).toBe(before);
    expect(up.child.exitCode).toBeNull();

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(130);
    expect(liveUpRecord('cookie-2')).toBeUndefined();
  }, 120_000);

  it('with --fresh, leaves it alone and runs on a topology of its own', async () => {
    const up = startCli('up', 'cookie-2');
    await up.printed('A lab run of cookie-2 in another terminal runs against it', 60_000);
    const run = startCli('run', 'cookie-replay', '--fresh');
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain('is left alone (asked with --fresh): this run starts its own beside it');
    expect(run.output()).not.toContain('attached to');
    expect(up.output()).not.toContain('device="owner"');
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(130);
  }, 120_000);
});
