// The compose backend's docker commands, in order, recorded by a fake command runner: bring-up,
// faults, probes, redeploys, and teardown after success, failure and a signal during start-up.
// test/runner/compose-engine.test.ts runs a scenario against a real engine where one answers.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parsePs, probeScript, startComposeTopology } from '../../runner/docker/backend.ts';
import { inspectFormat, parseInspect } from '../../runner/docker/network.ts';
import type { CommandRunner, RunOptions } from '../../runner/docker/commands.ts';
import { stopAllManaged } from '../../runner/processes.ts';
import { runScenario, type Scenario } from '../../runner/scenario.ts';
import { reapDeadRuns } from '../../runner/docker/projects.ts';
import { processStartTicks, thisRunner } from '../../runner/run-owner.ts';
import { loadTopology } from '../../runner/topology.ts';

class FakeDocker implements CommandRunner {
  readonly calls: string[] = [];
  private probes = 0;
  /** The compose files of the last command, after the topology's own. */
  extraFiles: string[] = [];
  /** What `ps -a --format json` of the whole project answers. */
  projectPs = '';
  /** What `docker ps -a --filter … --format …` answers: the engine's containers, as its format prints them. */
  containers: Record<string, string> = {};
  /** Where `docker compose port nginx 80` says the balancer is published. */
  balancerPort = 8080;

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
    // A lab run's own project is named with its run id: the same in every assertion.
    const call = `${command} ${short.join(' ')}`.replace(/-lab-[0-9a-f]{12}\b/g, '-lab-<run>');
    this.calls.push(call.replace(/ -e fetch\(.*$/, ' -e <probe>'));
    if (this.failOn && call.includes(this.failOn)) throw new Error(`${this.failOn}: failed (fake)`);
    if (this.hangUp && short.includes('up')) {
      await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
      throw new Error('up: stopped by SIGTERM');
    }
    if (short.includes('port')) return `0.0.0.0:${this.balancerPort}\n`;
    if (command === 'docker' && short[0] === 'ps' && short.includes('--format')) {
      const filter = short[short.indexOf('--filter') + 1]!;
      return Object.entries(this.containers).find(([label]) => filter.includes(label))?.[1] ?? '';
    }
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
    const files = args.indexOf('logs');
    this.calls.push(`${command} ${[args[2], ...args.slice(files)].join(' ')} (followed)`.replace(/-lab-[0-9a-f]{12}\b/g, '-lab-<run>').replace(/--since \S+/, '--since <now>'));
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

const own = 'session-lab-redis-2-lab-<run>';
const ownFile2 = 'session-lab-file-2-lab-<run>';
const runnerLabel = 'label=org.session-lab.runner';
const userProject = 'label=com.docker.compose.project=session-lab-redis-2';
const leftoverChecks = (project: string) => [
  `docker ps -a -q --filter label=com.docker.compose.project=${project}`,
  `docker volume ls -q --filter label=com.docker.compose.project=${project}`,
  `docker network ls -q --filter label=com.docker.compose.project=${project}`,
];
/** What every start asks first: compose there, a daemon, the user's project for the topology. */
const before = (topology: string) => [
  'docker compose version',
  'docker info --format {{.ServerVersion}}',
  `docker ps -a --filter label=com.docker.compose.project=session-lab-${topology} --format {{.Label "com.docker.compose.service"}} {{.State}} {{.Label "org.session-lab.run"}}`,
];

describe('the compose backend (fake command runner)', () => {
  it('brings a project of its own up, injects faults and probes with docker compose, and tears down with down -v', async () => {
    const docker = new FakeDocker();
    const result = await runScenario(scenario(script), { start: (t) => startComposeTopology(t, { commands: docker }) });
    expect(result.error).toBeUndefined();
    expect(result.attached).toBeUndefined();
    expect(docker.calls).toEqual([
      ...before('redis-2'),
      `docker ${own} up -d --build --wait`,
      `docker ${own} port nginx 80`,
      `docker ${own} ps -a -q`,
      `docker ${own} logs -f --no-color (followed)`,
      // Every container's address, for naming the node behind the balancer's X-Upstream.
      `docker ${own} ps -a -q`,
      `docker ${own} stop server_1`,
      `docker ${own} start server_1`,
      // Started again, maybe at another address: looked up anew.
      `docker ${own} ps -a -q`,
      // Ready when the node itself answers /healthz, asked at once and again until it does.
      `docker ${own} exec -T server_1 node -e <probe>`,
      `docker ${own} exec -T server_1 node -e <probe>`,
      `docker ${own} kill -s SIGKILL server_2`,
      `docker ${own} exec -T server_1 node -e <probe>`,
      'logs stopped',
      `docker ${own} --profile scale-out down -v --remove-orphans --timeout 2`,
      ...leftoverChecks(own),
    ]);
    expect(result.history.find((op) => op.action === 'probe')?.value).toEqual({ heapUsedBytes: 1 });
  });

  it("labels every container of its own project with the run and its runner, and publishes the balancer on a free loopback port", async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    const labFile = docker.extraFiles[0]!;
    await running.down();
    const override = readFileSync(labFile, 'utf8');
    for (const service of ['server_1', 'server_2', 'nginx', 'redis', 'postgres']) expect(override).toContain(`  ${service}:\n    labels:\n      org.session-lab.run: "`);
    expect(override).toContain(`org.session-lab.runner: "${process.pid}:`);
    expect(override).toContain('    ports: !override\n      - "127.0.0.1::80"');
  });

  it('attaches to the running project someone started: no up, no down, and what the faults changed is put back', async () => {
    const docker = new FakeDocker();
    // The project's balancer, as the restore asks it: it answers from each node in turn.
    let turn = 0;
    const balancer = createServer((_req, res) => res.writeHead(200, { 'x-served-by': `server_${(turn++ % 2) + 1}` }).end('{}'));
    await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void balancer.close());
    docker.balancerPort = (balancer.address() as AddressInfo).port;
    const services = ['server_1', 'server_2', 'nginx', 'redis', 'postgres'];
    docker.containers[userProject] = services.map((name) => `${name} running `).join('\n');
    docker.projectPs = services.map((name) => JSON.stringify({ Service: name, State: 'running' })).join('\n');
    const result = await runScenario(
      scenario(async (lab) => {
        await lab.fault('kill', 'server_2');
        docker.projectPs = docker.projectPs.replace('{"Service":"server_2","State":"running"}', '{"Service":"server_2","State":"exited"}');
        await lab.fault('pause', 'redis');
        docker.projectPs = docker.projectPs.replace('{"Service":"redis","State":"running"}', '{"Service":"redis","State":"paused"}');
        await lab.redeploy('server_1', { SESSION_SECRET: 'other' });
      }),
      { start: (t) => startComposeTopology(t, { commands: docker }) },
    );
    expect(result.error).toBeUndefined();
    expect(result.attached).toBe('the running project session-lab-redis-2 (started outside the lab)');
    const project = docker.calls.filter((c) => c.startsWith('docker session-lab-redis-2 '));
    expect(project.some((c) => / (up -d --build|down)\b/.test(c))).toBe(false);
    expect(project).toContain('docker session-lab-redis-2 logs -f --since <now> --no-color (followed)');
    const afterScenario = project.slice(project.indexOf('docker session-lab-redis-2 up -d --no-deps --force-recreate server_1') + 1);
    // Back to the file's own environment (the override is gone from the command), then what was stopped or paused runs again.
    expect(afterScenario).toContain('docker session-lab-redis-2 up -d --no-deps --force-recreate server_1');
    expect(docker.extraFiles).toEqual([]);
    expect(afterScenario).toContain('docker session-lab-redis-2 start server_2');
    expect(afterScenario).toContain('docker session-lab-redis-2 unpause redis');
    expect(docker.calls.at(-1)).toBe('logs stopped');
  });

  it('leaves the running project alone for a scenario that needs a fresh topology, and says so', async () => {
    const docker = new FakeDocker();
    docker.containers[userProject] = 'nginx running \nserver_1 running ';
    const said: string[] = [];
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker, fresh: 'asked with --fresh', notify: (line) => said.push(line) });
    await running.down();
    expect(said).toEqual(['the running project session-lab-redis-2 is left alone (asked with --fresh): this run starts a project of its own beside it']);
    expect(docker.calls).toContain(`docker ${own} up -d --build --wait`);
    expect(docker.calls.some((c) => c.startsWith('docker session-lab-redis-2 '))).toBe(false);
  });

  it('does not attach to a project that is not all up, and says how to start it', async () => {
    const docker = new FakeDocker();
    docker.containers[userProject] = 'nginx running \nserver_1 running \nserver_2 exited \nredis running \npostgres running ';
    await expect(startComposeTopology(loadTopology('redis-2'), { commands: docker })).rejects.toThrow(
      'the running project session-lab-redis-2 is not all up (server_2 is exited): start it (docker compose -f compose/redis-2.yml up), or run with --fresh',
    );
    expect(docker.calls.at(-1)).toBe('logs stopped');
  });

  it("takes a project of a lab run for the lab's, not the user's: it never attaches to it", async () => {
    const docker = new FakeDocker();
    docker.containers[userProject] = 'nginx running 4f2a';
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    await running.down();
    expect(running.attached).toBeUndefined();
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
      expect(docker.calls.slice(before)).toEqual([`docker ${own} ps -a --format json`]);
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
    expect(docker.calls.at(-4)).toBe(`docker ${own} --profile scale-out down -v --remove-orphans --timeout 2`);
  });

  it('tears down what started when up fails, and says why', async () => {
    const docker = new FakeDocker('up -d');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow('up -d: failed (fake)');
    expect(docker.calls.slice(-5, -3)).toEqual([`docker ${ownFile2} up -d --build --wait`, `docker ${ownFile2} --profile scale-out down -v --remove-orphans --timeout 2`]);
  });

  it('removes the projects whose runner is gone, whatever their topology, by their labels alone, and never a live runner\'s', async () => {
    const docker = new FakeDocker();
    // This process is alive; pid 2^22+1 is above Linux's pid_max, so no process has it.
    docker.containers[runnerLabel] = [
      `session-lab-redis-2-lab-dead 4194305:77`,
      `session-lab-file-2-lab-live ${process.pid}:${processStartTicks(process.pid)}`,
      // A runner in another PID namespace (a lab in a container on the same engine): never judged from here.
      `session-lab-cookie-2-lab-elsewhere 4194305:77:${(thisRunner.pidNamespace ?? 0) + 1}`,
      'someone-else 12:not-an-owner',
    ].join('\n');
    docker.leftover = 'c1\n';
    expect(await reapDeadRuns(docker)).toEqual(['session-lab-redis-2-lab-dead']);
    expect(docker.calls.slice(1, 3)).toEqual(['docker ps -a -q --filter label=com.docker.compose.project=session-lab-redis-2-lab-dead', 'docker rm -f -v c1']);
    expect(docker.calls.join('\n')).not.toContain('lab-live');
    expect(docker.calls.join('\n')).not.toContain('lab-elsewhere');
  });

  it('on a signal during start-up, stops the up in flight and then brings the project down', async () => {
    const docker = new FakeDocker(undefined, '', true);
    const starting = startComposeTopology(loadTopology('file-2'), { commands: docker });
    starting.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(docker.calls.at(-1)).toBe(`docker ${ownFile2} up -d --build --wait`);
    // What the CLI's signal handler runs: the teardowns, then every managed process.
    await stopAllManaged();
    expect(docker.calls.at(-4)).toBe(`docker ${ownFile2} --profile scale-out down -v --remove-orphans --timeout 2`);
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
    expect(docker.calls).toContain(`docker ${own} exec -T redis redis-cli ping`);
  });

  it('redeploys a node with changed variables through an override file that later commands read too', async () => {
    const docker = new FakeDocker();
    const running = await startComposeTopology(loadTopology('redis-2'), { commands: docker });
    await running.service('server_1').restartWith!({ SESSION_SECRET: 'new,old' });
    await running.service('server_1').restartWith!({ TRUST_PROXY: 'false' });
    const [labFile, override] = docker.extraFiles as [string, string];
    await running.service('server_2').stop();
    expect(docker.extraFiles).toEqual([labFile, override]);
    await running.down();
    expect(docker.calls.filter((c) => c.includes('force-recreate'))).toEqual(Array(2).fill(`docker ${own} up -d --no-deps --force-recreate server_1`));
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
