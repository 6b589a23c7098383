// The compose backend's docker commands, in order, recorded by a fake command runner: bring-up,
// faults, probes, redeploys, and teardown after success, failure and a signal during start-up.
// test/runner/compose-engine.test.ts runs a scenario against a real engine where one answers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePs, probeScript, startComposeTopology } from '../../runner/docker/backend.ts';
import { inspectFormat, parseInspect } from '../../runner/docker/network.ts';
import type { CommandRunner, RunOptions } from '../../runner/docker/commands.ts';
import { stopAllManaged } from '../../runner/processes.ts';
import { runScenario, type Scenario } from '../../runner/scenario.ts';
import { loadTopology } from '../../runner/topology.ts';

class FakeDocker implements CommandRunner {
  readonly calls: string[] = [];
  private probes = 0;
  /** The compose files of the last command, after the topology's own. */
  extraFiles: string[] = [];
  /** What `ps -a --format json` of the whole project answers. */
  projectPs = '';

  constructor(
    private readonly failOn?: string,
    public leftover = '',
    /** Hangs `up` until its signal aborts it (a Ctrl-C during start-up). */
    private readonly hangUp = false,
  ) {}

  async run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
    // Drop "compose -p <project> -f <file> [-f <override>…]" so that the assertions read like the commands.
    let short = args;
    if (args[0] === 'compose' && args[1] === '-p') {
      let i = 3;
      const files: string[] = [];
      while (args[i] === '-f') files.push(args[(i += 2) - 1]!);
      this.extraFiles = files.slice(1);
      short = [args[2]!, ...args.slice(i)];
    }
    const call = `${command} ${short.join(' ')}`;
    this.calls.push(call.replace(/ -e fetch\(.*$/, ' -e <probe>'));
    if (this.failOn && call.includes(this.failOn)) throw new Error(`${this.failOn}: failed (fake)`);
    if (this.hangUp && short.includes('up')) {
      await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
      throw new Error('up: stopped by SIGTERM');
    }
    if (short.includes('port')) return '0.0.0.0:8080\n';
    if (short.includes('-q')) {
      const ids = this.leftover;
      this.leftover = '';
      return ids;
    }
    if (short.slice(1).join(' ') === 'ps -a --format json') return this.projectPs;
    if (short.includes('ps')) return JSON.stringify({ Service: short.at(-1), State: 'running', Health: '' }) + '\n';
    if (short.includes('exec') && short.includes('node')) {
      // The first readiness probe finds the node still starting.
      const status = this.probes++ === 0 ? 503 : 200;
      return JSON.stringify({ status, servedBy: 'server_1', body: { heapUsedBytes: 1 } });
    }
    return '';
  }

  follow(command: string, args: string[]): { stop(): Promise<void> } {
    this.calls.push(`${command} ${[args[2], ...args.slice(5)].join(' ')} (followed)`);
    return { stop: async () => void this.calls.push('logs stopped') };
  }
}

const script: Scenario['run'] = async (lab) => {
  await lab.fault('restart', 'server_1');
  await lab.fault('kill', 'server_2');
  await lab.probe('server_1', '/debug/memory', 'probe');
};

function scenario(run: Scenario['run']): Scenario {
  return { name: 'compose-test', summary: '', topology: 'redis-2', expected: 'done', run, check: () => ({ observed: 'done', metrics: {} }) };
}

describe('the compose backend (fake command runner)', () => {
  it('brings the topology up, injects faults and probes with docker compose, and tears down with down -v', async () => {
    const docker = new FakeDocker();
    const result = await runScenario(scenario(script), { start: (t) => startComposeTopology(t, { commands: docker }) });
    expect(result.error).toBeUndefined();
    const leftoverChecks = [
      'docker ps -a -q --filter label=com.docker.compose.project=session-lab-redis-2',
      'docker volume ls -q --filter label=com.docker.compose.project=session-lab-redis-2',
      'docker network ls -q --filter label=com.docker.compose.project=session-lab-redis-2',
    ];
    expect(docker.calls).toEqual([
      'docker compose version',
      'docker info --format {{.ServerVersion}}',
      ...leftoverChecks,
      'docker session-lab-redis-2 up -d --build --wait',
      'docker session-lab-redis-2 port nginx 80',
      'docker session-lab-redis-2 ps -a -q',
      'docker session-lab-redis-2 logs -f --no-color (followed)',
      'docker session-lab-redis-2 stop server_1',
      'docker session-lab-redis-2 start server_1',
      // Ready when the node itself answers /healthz, asked at once and again until it does.
      'docker session-lab-redis-2 exec -T server_1 node -e <probe>',
      'docker session-lab-redis-2 exec -T server_1 node -e <probe>',
      'docker session-lab-redis-2 kill -s SIGKILL server_2',
      'docker session-lab-redis-2 exec -T server_1 node -e <probe>',
      'logs stopped',
      'docker session-lab-redis-2 down -v --remove-orphans',
      ...leftoverChecks,
    ]);
    expect(result.history.find((op) => op.action === 'probe')?.value).toEqual({ heapUsedBytes: 1 });
  });

  it("reads every service's status from one ps of the project, however many ask at once", async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    try {
      docker.projectPs = [
        { Service: 'nginx', State: 'running' },
        { Service: 'server_1', State: 'exited' },
        { Service: 'server_2', State: 'running' },
        { Service: 'redis', State: 'paused' },
      ]
        .map((entry) => JSON.stringify(entry))
        .join('\n');
      const before = docker.calls.length;
      const names = ['nginx', 'server_1', 'server_2', 'redis'];
      const statuses = await Promise.all(names.map((name) => running.service(name).status!()));
      expect(statuses).toEqual(['up', 'down', 'up', 'paused']);
      expect(docker.calls.slice(before)).toEqual(['docker session-lab-redis-2 ps -a --format json']);
      // A later read asks again: a status is never older than the read that asked for it.
      await running.service('server_1').status!();
      expect(docker.calls.slice(before)).toHaveLength(2);
    } finally {
      await running.down();
    }
  });

  it('tears down after a scenario that failed', async () => {
    const docker = new FakeDocker();
    const result = await runScenario(
      scenario(async () => {
        throw new Error('broken script');
      }),
      { start: (t) => startComposeTopology(t, { commands: docker }) },
    );
    expect(result.error).toBe('broken script');
    expect(docker.calls.at(-4)).toBe('docker session-lab-redis-2 down -v --remove-orphans');
  });

  it('tears down what started when up fails, and says why', async () => {
    const docker = new FakeDocker('up -d');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow('up -d: failed (fake)');
    expect(docker.calls.slice(-5, -3)).toEqual(['docker session-lab-file-2 up -d --build --wait', 'docker session-lab-file-2 down -v --remove-orphans']);
  });

  it('removes what a killed runner left of the project before it starts', async () => {
    const docker = new FakeDocker(undefined, 'f00d\n');
    const running = await startComposeTopology(loadTopology('file-2'), { commands: docker });
    await running.down();
    expect(docker.calls.slice(4, 7)).toEqual(['docker network ls -q --filter label=com.docker.compose.project=session-lab-file-2', 'docker session-lab-file-2 down -v --remove-orphans', 'docker session-lab-file-2 up -d --build --wait']);
  });

  it('on a signal during start-up, stops the up in flight and then brings the project down', async () => {
    const docker = new FakeDocker(undefined, '', true);
    const starting = startComposeTopology(loadTopology('file-2'), { commands: docker });
    starting.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(docker.calls.at(-1)).toBe('docker session-lab-file-2 up -d --build --wait');
    // What the CLI's signal handler runs: the teardowns, then every managed process.
    await stopAllManaged();
    expect(docker.calls.at(-4)).toBe('docker session-lab-file-2 down -v --remove-orphans');
    await expect(starting).rejects.toThrow('stopped by SIGTERM');
  });

  it('brings the project down again while the engine still lists some of it (creations that landed late)', async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('file-2'), { commands: docker });
    docker.leftover = 'c0ffee\n';
    await running.down();
    expect(docker.calls.filter((c) => c.includes(' down ')).length).toBe(2);
  });

  it('starts a store and waits for its own healthcheck command to pass', async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    await running.service('redis').start();
    await running.down();
    expect(docker.calls).toContain('docker session-lab-redis-2 exec -T redis redis-cli ping');
  });

  it('redeploys a node with changed variables through an override file that later commands read too', async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    await running.service('server_1').restartWith!({ SESSION_SECRET: 'new,old' });
    await running.service('server_1').restartWith!({ TRUST_PROXY: 'false' });
    const override = docker.extraFiles[0]!;
    await running.service('server_2').stop();
    expect(docker.extraFiles).toEqual([override]);
    await running.down();
    expect(docker.calls.filter((c) => c.includes('force-recreate'))).toEqual(Array(2).fill('docker session-lab-redis-2 up -d --no-deps --force-recreate server_1'));
    expect(readFileSync(override, 'utf8')).toContain('SESSION_SECRET: new,old\n      TRUST_PROXY: "false"');
  });

  it('says plainly when docker compose is missing', async () => {
    const docker = new FakeDocker('compose version');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow(
      'the compose backend needs Docker with its compose plugin (npm run setup:docker installs them); `docker compose version` failed',
    );
  });

  it('says plainly when no daemon answers', async () => {
    const docker = new FakeDocker('docker info');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow('no Docker daemon answers (npm run setup:docker starts one)');
  });
});

describe('compose output parsing', () => {
  it('reads ps as JSON lines or as one array', () => {
    const line = { Service: 'redis', State: 'running', Health: 'healthy' };
    expect(parsePs(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, Service: 'nginx' })}\n`).map((e) => e.Service)).toEqual(['redis', 'nginx']);
    expect(parsePs(JSON.stringify([line]))).toEqual([line]);
    expect(parsePs('')).toEqual([]);
  });

  it("reads a container's process and its addresses from docker inspect", () => {
    const containers = parseInspect('redis 4242 172.20.0.3\nserver_1 0 \n');
    expect(Object.fromEntries(containers)).toEqual({ redis: { pid: 4242, addresses: ['172.20.0.3'] }, server_1: { pid: 0, addresses: [] } });
    expect(inspectFormat).toContain('.State.Pid');
  });

  it('probes with a script that Node runs inside the container', () => {
    const script = probeScript(3000, '/debug/memory');
    expect(script).toContain('fetch("http://127.0.0.1:3000/debug/memory")');
    expect(() => new Function(script)).not.toThrow();
  });
});
