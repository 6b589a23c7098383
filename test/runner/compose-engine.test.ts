// The compose backend against a real Docker engine: a scenario with process faults and one with a
// partition (rules written into a container's network namespace) end to end, `lab check` on an
// app that is not the shop (its own image), and Ctrl-C in the middle of a compose start-up. Skipped, with the reason printed, where no engine
// answers (npm run setup:docker gives one; .ci/run runs it first).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { composeLacks, startComposeTopology } from '../../runner/docker/backend.ts';
import { projectLeftovers, runLabel } from '../../runner/docker/projects.ts';
import { dockerCommands } from '../../runner/docker/commands.ts';
import { runScenario } from '../../runner/scenario.ts';
import { loadTopology, projectRoot } from '../../runner/topology.ts';
import { postgresShared } from '../../scenarios/postgres-shared.ts';
import { nodeStorePartition } from '../../scenarios/node-store-partition.ts';
import { redisRestart } from '../../scenarios/redis-restart.ts';

function engineProblem(): string | undefined {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 });
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return undefined;
  } catch (err) {
    return `no Docker engine with compose answers here (${(err as Error).message.split('\n')[0]}); npm run setup:docker installs and starts one`;
  }
}

const problem = engineProblem();
if (problem) console.log(`compose-engine tests skipped: ${problem}`);

/** The containers, volumes and networks lab runs made that are still there (every run's project is its own). */
async function labLeftovers(): Promise<string[]> {
  const projects = await dockerCommands.run('docker', ['ps', '-a', '--filter', `label=${runLabel}`, '--format', '{{.Label "com.docker.compose.project"}}']);
  const names = [...new Set(projects.split('\n').filter(Boolean))];
  return (await Promise.all(names.map((name) => projectLeftovers(dockerCommands, name)))).flat();
}

describe.skipIf(problem !== undefined)('the compose backend on a real engine', () => {
  it('runs redis-restart: the restart loses every anonymous cart, observed through nginx, and down leaves nothing', async () => {
    const result = await runScenario(redisRestart, { start: (t) => startComposeTopology(t) });
    expect(result.error).toBeUndefined();
    expect(result.observed).toBe('writes-lost');
    expect(result.metrics).toMatchObject({ loggedInLost: 0 });
    expect(result.metrics.lost).toBeGreaterThan(0);
    // The fault ends when Redis itself answers again, not at Docker's next health check.
    const restart = result.history.find((op) => op.action === 'restart')!;
    expect(restart.endedMs - restart.startedMs).toBeLessThan(5000);
    expect(await labLeftovers()).toEqual([]);
  }, 180_000);

  it.skipIf(composeLacks()['network-faults'] !== undefined)('cuts server_1 off from Redis inside its container (node-store-partition) and heals it', async () => {
    const result = await runScenario(nodeStorePartition, { start: (t) => startComposeTopology(t), lacks: composeLacks() });
    expect(result.error).toBeUndefined();
    expect(result.observed).toBe('users-see-503');
    // Only server_1 was cut off: its answers during the partition are the 503s, and nginx still sent it every other request.
    expect(result.metrics.reads503).toBeGreaterThan(0);
    expect(result.metrics.msUntilCutNodeAnsweredAfterHeal).not.toBeNull();
    expect(await labLeftovers()).toEqual([]);
  }, 180_000);

  it('checks the PHP example in its own image: the expected card, the node named by the balancer, nothing left', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scenarios/lab.ts', 'check', 'examples/php/lab-app.yml', '--backend', 'compose', '--only', 'round-robin,node-kill,cookie-secure,session-fixation'], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 170_000,
    });
    expect(stdout).toContain('round-robin (file)             lost, expected lost');
    expect(stdout).toContain('node-kill (file)               kept');
    expect(stdout).toContain('session-fixation (file)        fixated, expected fixated');
    // One node behind nginx terminating TLS, with the certificate made for the run.
    expect(stdout).toContain('cookie-secure (file)           not-secure, expected not-secure');
    // Which node answered, from the balancer's address alone (the app sends no header of the lab's).
    expect(stdout).toMatch(/first bad: #\d+ device-\d GET \/notes on server_[12]: expected every value written so far/);
    expect(stdout).not.toMatch(/^ {2}✗/m);
    expect(await labLeftovers()).toEqual([]);
  }, 180_000);

  it('brings the project down when Ctrl-C comes during the start-up', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scenarios/lab.ts', 'up', 'file-2', '--backend', 'compose'], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    // Until some of the project exists: `up` is creating it.
    for (const deadline = Date.now() + 60_000; (await labLeftovers()).length === 0; ) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nothing of the project appeared:\n${output}`);
      await sleep(100);
    }
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code, output).toBe(130);
    expect(output).not.toContain('is up');
    expect(await labLeftovers()).toEqual([]);
  }, 120_000);

  it('attaches to a project started with docker compose up, runs a scenario with restarts through it, and leaves it running as found', async () => {
    const topology = loadTopology('postgres-2');
    const compose = (...args: string[]) => dockerCommands.run('docker', ['compose', '-f', topology.file, ...args]);
    const containers = async () => (await compose('ps', '-a', '--format', '{{.Service}} {{.ID}} {{.State}}')).split('\n').filter(Boolean).sort();
    const volumes = async () => (await dockerCommands.run('docker', ['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=session-lab-postgres-2'])).split('\n').filter(Boolean).sort();
    await compose('up', '-d', '--wait');
    try {
      const before = await containers();
      const volumesBefore = await volumes();
      const result = await runScenario(postgresShared, { start: (t) => startComposeTopology(t) });
      expect(result.error).toBeUndefined();
      expect(result.attached).toBe('the running project session-lab-postgres-2 (started outside the lab)');
      expect(result.observed).toBe('cart-kept');
      // server_1 was restarted in place: the same containers, all running, the same volumes.
      expect(await containers()).toEqual(before);
      expect(before.every((line) => line.endsWith(' running'))).toBe(true);
      expect(await volumes()).toEqual(volumesBefore);
      // Its own logs show the scenario's requests (nginx logs the lab device's name).
      expect(await compose('logs', 'nginx')).toContain('device="laptop"');
    } finally {
      await compose('down', '-v');
    }
  }, 240_000);
});
