import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { spawnManaged } from '../../runner/processes.ts';

/** The state letter (/proc/<pid>/stat) of every process whose command line is exactly argv. */
function statesOf(argv: string): string[] {
  const states: string[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') !== argv) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      states.push(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
    } catch {
      // Gone while we looked.
    }
  }
  return states;
}

describe('a managed process', () => {
  it('pauses and resumes its children that left its process group (as PostgreSQL backends do)', async () => {
    const marker = `sleep ${30 + Math.floor(Math.random() * 1000)}`;
    const managed = spawnManaged('setsid-child', 'sh', ['-c', `setsid ${marker} & wait`], { output: () => {} });
    try {
      for (let i = 0; i < 50 && statesOf(marker).length === 0; i++) await sleep(20);
      expect(statesOf(marker)).toHaveLength(1);
      expect(statesOf(marker)).not.toEqual(['T']);
      managed.signal('SIGSTOP');
      expect(statesOf(marker)).toEqual(['T']);
      managed.signal('SIGCONT');
      expect(statesOf(marker)).not.toEqual(['T']);
    } finally {
      managed.signal('SIGCONT');
      await managed.stop(500);
    }
  });
});
