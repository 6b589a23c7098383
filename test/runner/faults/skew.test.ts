import { describe, expect, it } from 'vitest';
import type { RunningTopology } from '../../../runner/backend.ts';
import { faketimeLibrary } from '../../../runner/clock-skew.ts';
import { skew } from '../../../runner/faults/skew.ts';
import { startNodeProcess } from '../../support/node-process.ts';

/** How far ahead of this process's clock the node's is, read off its Date header (whole seconds). */
async function nodeClockAheadSeconds(url: string): Promise<number> {
  const answer = await fetch(`${url}/healthz`);
  await answer.body?.cancel();
  return (Date.parse(answer.headers.get('date')!) - Date.now()) / 1000;
}

function oneNode(node: Awaited<ReturnType<typeof startNodeProcess>>['node']): RunningTopology {
  return {
    topology: { name: 'one-node', file: 'none', services: [] },
    balancerUrl: node.url,
    runDir: '.',
    probe: () => Promise.reject(new Error('not needed')),
    service: (name) => {
      if (name !== 'server_1') throw new Error(`no service ${name}`);
      return node;
    },
    down: () => node.stop(),
  };
}

describe.skipIf(!faketimeLibrary())('the skew fault', () => {
  it('starts the node again with its wall clock ahead, then behind, then right', async () => {
    const { url, node } = await startNodeProcess({ SESSION_STORE: 'memory' });
    const running = oneNode(node);
    await skew(running, 'server_1 +600');
    expect(await nodeClockAheadSeconds(url)).toBeCloseTo(600, -1);
    await skew(running, 'server_1 -600');
    expect(await nodeClockAheadSeconds(url)).toBeCloseTo(-600, -1);
    await skew(running, 'server_1 0');
    expect(Math.abs(await nodeClockAheadSeconds(url))).toBeLessThan(2);
  });

  it('refuses seconds without a number, or more than a day, and changes nothing', async () => {
    const { url, node } = await startNodeProcess({ SESSION_STORE: 'memory' });
    const pid = node.pid;
    await expect(skew(oneNode(node), 'server_1 ten')).rejects.toThrow('a clock skew is whole seconds with a sign, e.g. +600 or -600, not "ten"');
    await expect(skew(oneNode(node), 'server_1 +90000')).rejects.toThrow('more than a day');
    await expect(skew(oneNode(node), 'server_1')).rejects.toThrow('skew takes a service and seconds');
    expect(node.pid).toBe(pid);
    expect(Math.abs(await nodeClockAheadSeconds(url))).toBeLessThan(2);
  });
});
