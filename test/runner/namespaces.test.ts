import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRunNamespaces, removeLeftoverNamespaces } from '../../runner/local/namespaces.ts';
import { projectRoot } from '../../runner/topology.ts';
import { networkTestsSkipped } from '../support/namespaced-services.ts';

/** The namespaces and host links of subnet n that the machine still has. */
function leftOf(n: number): string[] {
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!);
  const links = execFileSync('ip', ['-br', 'link'], { encoding: 'utf8' }).split('\n').map((l) => l.split(/[\s@]/)[0]!);
  return [...namespaces, ...links].filter((name) => name === `sl-${n}` || name.startsWith(`sl-${n}-`) || name === `slh-${n}`);
}

/** Whether a process is alive: not gone, and not a zombie waiting for a parent to reap it. */
function runs(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

describe.skipIf(networkTestsSkipped)("a local run's namespaces", () => {
  it('are all gone after remove: the namespaces, their veths, the host link', async () => {
    const namespaces = await createRunNamespaces(['server_1', 'redis']);
    const n = Number(namespaces.addresses.get('redis')!.split('.')[2]);
    expect(leftOf(n).sort()).toEqual([`sl-${n}`, `sl-${n}-redis`, `sl-${n}-server_1`, `slh-${n}`]);
    await namespaces.remove();
    expect(leftOf(n)).toEqual([]);
  });

  it("of a runner killed with -9 are removed by the next run, with the processes still in them", async () => {
    // A runner that makes its namespaces, starts a process in one, says its subnet and waits to be killed.
    const runner = [
      "import { createRunNamespaces } from './runner/local/namespaces.ts';",
      "import { spawnManaged } from './runner/processes.ts';",
      "const ns = await createRunNamespaces(['server_1']);",
      "spawnManaged('sleeper', 'sleep', ['600'], { netns: ns.path('server_1') });",
      "console.log(ns.addresses.get('server_1'));",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', runner], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const n = Number(line.toString().trim().split('.')[2]);
    const sleeper = Number(execFileSync('ip', ['netns', 'pids', `sl-${n}-server_1`], { encoding: 'utf8' }).trim());
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(leftOf(n)).not.toEqual([]);
    expect(await removeLeftoverNamespaces()).toContain(n);
    expect(leftOf(n)).toEqual([]);
    expect(runs(sleeper)).toBe(false);
  });
});
