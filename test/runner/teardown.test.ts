// No process the lab starts outlives the run: after success, after a failing scenario, after a
// service that fails to start, and after Ctrl-C or SIGTERM of the runner.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { memoryRestart } from '../../scenarios/memory-restart.ts';
import { localLacks, startLocalTopology } from '../../runner/local/backend.ts';
import { runsDir } from '../../runner/run-dir.ts';
import { shopDevice } from '../../scenarios/shop/device.ts';
import { runScenario } from '../../runner/scenario.ts';
import { parseTopology, projectRoot } from '../../runner/topology.ts';
import { namespacesClaimedBy, survivors } from '../support/survivors.ts';
import { startCli } from '../support/lab-cli.ts';

const start = (topology: Parameters<typeof startLocalTopology>[0]) => startLocalTopology(topology);

describe('teardown', () => {
  it('leaves nothing running after a scenario that passed', async () => {
    let seenRunning: string[] = [];
    const result = await runScenario(
      {
        ...memoryRestart,
        async run(lab) {
          seenRunning = survivors(lab.running.runDir);
          await memoryRestart.run(lab);
        },
      },
      { start },
    );
    expect(result.passed).toBe(true);
    // server_1, nginx's master and its worker (and tsx's esbuild helper while it has no cache)
    expect(seenRunning.length).toBeGreaterThanOrEqual(3);
    expect(survivors(result.runDir!)).toEqual([]);
  });

  it('leaves nothing running after a scenario that threw midway', async () => {
    const result = await runScenario(
      {
        ...memoryRestart,
        async run(lab) {
          await shopDevice(lab, 'phone').add('apple');
          throw new Error('the script broke');
        },
      },
      { start },
    );
    expect([result.passed, result.observed, result.error]).toEqual([false, 'error', 'the script broke']);
    expect(survivors(result.runDir!)).toEqual([]);
  });

  it('stops what had started when a service fails to start', async () => {
    const compose = [
      'services:',
      '  server_1:',
      '    build: .',
      '    environment: { NODE_NAME: server_1, SESSION_SECRET: s, SESSION_STORE: mongo }',
      '    depends_on: [redis]',
      '  redis: { image: "redis:7" }',
      '  nginx:',
      '    image: nginx:1.27',
      '    volumes: ["../nginx/nginx.conf.template:/etc/nginx/templates/default.conf.template:ro"]',
      '    depends_on: [server_1]',
    ].join('\n');
    const topology = parseTopology('broken', `${projectRoot}/compose/broken.yml`, compose);
    await expect(startLocalTopology(topology)).rejects.toThrow(/server_1 exited before it was ready/);
    const run = (await readdir(runsDir)).filter((name) => name.endsWith('-broken')).sort().at(-1)!;
    const log = await readFile(join(runsDir, run, 'logs', 'server_1.log'), 'utf8');
    expect(log).toContain('SESSION_STORE must be one of memory, file, redis, postgres, cookie (got "mongo")');
    expect(survivors(join(runsDir, run))).toEqual([]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s, `lab up` stops every service and exits %i', async (signal, code) => {
    const cli = startCli('up', 'redis-2');
    await cli.printed('Logs and data: ');
    await cli.printed('Ctrl-C stops everything');
    const runDir = join(projectRoot, /Logs and data: (\S+)/.exec(cli.output())![1]!);
    // redis, server_1, server_2, nginx's master and its worker (and tsx's esbuild helpers)
    expect(survivors(runDir).length).toBeGreaterThanOrEqual(5);
    cli.child.kill(signal);
    expect(await cli.exited).toBe(code);
    expect(survivors(runDir)).toEqual([]);
  });

  it('on Ctrl-C in the middle of `lab run`, stops every service', async () => {
    const cli = startCli('run', 'memory-growth');
    await cli.printed('probe     before');
    const runDir = join(projectRoot, /Logs and data: (\S+)/.exec(cli.output())![1]!);
    expect(survivors(runDir).length).toBeGreaterThan(0);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(survivors(runDir)).toEqual([]);
  });

  it.skipIf(localLacks()['network-faults'] !== undefined)('on Ctrl-C in the middle of a run with network faults, removes its namespaces too', async () => {
    const cli = startCli('run', 'node-store-partition');
    await cli.printed('nemesis   partition', 60_000);
    const runDir = join(projectRoot, /Logs and data: (\S+)/.exec(cli.output())![1]!);
    const [subnet] = namespacesClaimedBy(cli.child.pid!);
    expect(subnet).toBeDefined();
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(survivors(runDir)).toEqual([]);
    expect(namespacesClaimedBy(cli.child.pid!)).toEqual([]);
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((line) => line.split(' ')[0]);
    expect(namespaces.filter((name) => name === `sl-${subnet}` || name?.startsWith(`sl-${subnet}-`))).toEqual([]);
  });

  /** Polls until no process works inside runDir, for at most ms; returns what is still there then. */
  async function survivorsAfter(runDir: string, ms: number): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (survivors(runDir).length > 0 && Date.now() < deadline) await sleep(50);
    return survivors(runDir);
  }

  it('after kill -9 of `lab up`, no process of its run is left within 3 s (Redis, Sentinels, PostgreSQL, nodes, nginx and its workers)', async () => {
    const cli = startCli('up', 'redis-ha-2');
    await cli.printed('Ctrl-C stops everything', 60_000);
    const runDir = join(projectRoot, /Logs and data: (\S+)/.exec(cli.output())![1]!);
    // redis, its replica, three Sentinels, PostgreSQL (and its backends), two nodes, nginx's master and worker
    expect(survivors(runDir).length).toBeGreaterThanOrEqual(10);
    process.kill(-cli.child.pid!, 'SIGKILL');
    expect(await survivorsAfter(runDir, 3000)).toEqual([]);
  }, 90_000);

  it('after kill -9 of `lab run` in the middle of a scenario, no process of its run is left within 3 s', async () => {
    const cli = startCli('run', 'kill-under-load-postgres');
    await cli.printed('nemesis', 60_000);
    const runDir = join(projectRoot, /Logs and data: (\S+)/.exec(cli.output())![1]!);
    expect(survivors(runDir).length).toBeGreaterThan(0);
    process.kill(-cli.child.pid!, 'SIGKILL');
    expect(await survivorsAfter(runDir, 3000)).toEqual([]);
  }, 90_000);
});
