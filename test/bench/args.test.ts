// The benchmark scripts refuse a bad command line with a reason, their usage and exit code 2,
// before they start anything.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../runner/topology.ts';

function runScript(script: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', `bench/${script}.ts`, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
}

describe('bench scripts, bad command lines', () => {
  it.each([
    ['run', ['--bogus'], /^bench: Unknown option '--bogus'/],
    ['run', ['--only', 'stores,bogus'], /^bench: --only: unknown group "bogus"; groups: stores, nginx, /],
    ['run', ['--rounds', '0'], /^bench: --rounds must be a whole number from 1 to 1000, not "0"/],
    ['run', ['--seconds', 'x'], /^bench: --seconds must be above 0 and at most 1000, not "x"/],
    ['lab-times', ['--repeat', '0'], /^bench:lab: --repeat must be a whole number from 1 to 20, not "0"/],
    ['keep-alive', ['--requests=many'], /^bench:keep-alive: --requests must be a whole number from 1 to 200, not "many"/],
    ['lost-updates', ['--json'], /^bench:lost-updates: Option '--json <value>' argument missing/],
    ['profile', ['--store', 'mongo'], /^bench:profile: --store must be one of memory, file, redis, postgres, not "mongo"/],
    ['profile', ['--seconds=-1'], /^bench:profile: --seconds must be above 0 and at most 60, not "-1"/],
  ])('%s %j: a reason, the usage, exit code 2', { timeout: 40_000 }, (script, args, reason) => {
    const result = runScript(script, args);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(/\nUsage: npm run bench/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(2);
  });
});
