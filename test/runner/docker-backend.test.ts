// The compose backend's docker commands, in order, recorded by a fake command runner (no Docker
// engine runs here): bring-up, faults, probes, and teardown after success and after failure.
import { describe, expect, it } from 'vitest';
import { parsePs, probeScript, startComposeTopology } from '../../runner/docker/backend.ts';
import type { CommandRunner } from '../../runner/docker/commands.ts';
import { runScenario, type Scenario } from '../../runner/scenario.ts';
import { loadTopology } from '../../runner/topology.ts';

class FakeDocker implements CommandRunner {
  readonly calls: string[] = [];
  private healthChecks = 0;

  constructor(private readonly failOn?: string) {}

  async run(command: string, args: string[]): Promise<string> {
    // Drop "compose -p <project> -f <file>" so that the assertions read like the commands.
    const short = args[0] === 'compose' && args[1] === '-p' ? [args[2], ...args.slice(5)] : args;
    const call = `${command} ${short.join(' ')}`;
    this.calls.push(call.replace(/ -e fetch\(.*$/, ' -e <probe>'));
    if (this.failOn && call.includes(this.failOn)) throw new Error(`${this.failOn}: failed (fake)`);
    if (short.includes('port')) return '0.0.0.0:8080\n';
    if (short.includes('ps')) {
      this.healthChecks++;
      const health = this.healthChecks === 1 ? 'starting' : 'healthy';
      return JSON.stringify({ Service: short.at(-1), State: 'running', Health: health }) + '\n';
    }
    if (short.includes('exec')) return JSON.stringify({ status: 200, servedBy: 'server_1', body: { heapUsedBytes: 1 } });
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
    expect(docker.calls).toEqual([
      'docker compose version',
      'docker session-lab-redis-2 up -d --build --wait',
      'docker session-lab-redis-2 port nginx 80',
      'docker session-lab-redis-2 logs -f --no-color (followed)',
      'docker session-lab-redis-2 stop server_1',
      'docker session-lab-redis-2 start server_1',
      'docker session-lab-redis-2 ps --format json server_1',
      'docker session-lab-redis-2 ps --format json server_1',
      'docker session-lab-redis-2 kill -s SIGKILL server_2',
      'docker session-lab-redis-2 exec -T server_1 node -e <probe>',
      'logs stopped',
      'docker session-lab-redis-2 down -v --remove-orphans',
    ]);
    expect(result.history.find((op) => op.action === 'probe')?.value).toEqual({ heapUsedBytes: 1 });
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
    expect(docker.calls.at(-1)).toBe('docker session-lab-redis-2 down -v --remove-orphans');
  });

  it('tears down what started when up fails, and says why', async () => {
    const docker = new FakeDocker('up -d');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow('up -d: failed (fake)');
    expect(docker.calls).toEqual(['docker compose version', 'docker session-lab-file-2 up -d --build --wait', 'docker session-lab-file-2 down -v --remove-orphans']);
  });

  it('says plainly when docker compose is missing', async () => {
    const docker = new FakeDocker('compose version');
    await expect(startComposeTopology(loadTopology('file-2'), { commands: docker })).rejects.toThrow(
      'the compose backend needs Docker with its compose plugin; `docker compose version` failed',
    );
  });
});

describe('compose output parsing', () => {
  it('reads ps as JSON lines or as one array', () => {
    const line = { Service: 'redis', State: 'running', Health: 'healthy' };
    expect(parsePs(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, Service: 'nginx' })}\n`).map((e) => e.Service)).toEqual(['redis', 'nginx']);
    expect(parsePs(JSON.stringify([line]))).toEqual([line]);
    expect(parsePs('')).toEqual([]);
  });

  it('probes with a script that Node runs inside the container', () => {
    const script = probeScript(3000, '/debug/memory');
    expect(script).toContain('fetch("http://127.0.0.1:3000/debug/memory")');
    expect(() => new Function(script)).not.toThrow();
  });
});
