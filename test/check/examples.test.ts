// `lab check` end to end on the examples, local backend: each example's expected card (its
// `expect:`) holds, and a contract mistake is said before any verdict.
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../runner/topology.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

const lab = async (...args: string[]) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scenarios/lab.ts', ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 170_000 });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
};

describe('lab check on the examples', () => {
  it.each([
    ['examples/express/lab-app.yml --store redis --only round-robin,store-outage,concurrent-writes,session-fixation', ['round-robin (redis)            kept, expected kept', 'store-outage (redis)           waits, expected waits', 'session-fixation (redis)       fixated, expected fixated']],
    ['examples/flask/lab-app.yml', ['round-robin (cookie)           kept, expected kept', 'concurrent-writes (cookie)     lost, expected lost', 'logout-replay (cookie)         replayable, expected replayable', 'cookie-size (cookie)           too-big, expected too-big']],
    // The shop's card agrees with its scenarios: postgres-shared keeps, postgres-outage fails fast,
    // session-fixation, logout-all and secure-cookie-proxy hold.
    ['examples/shop/lab-app.yml --store postgres --only round-robin,store-outage,cookie-secure,session-fixation,logout-everywhere', ['round-robin (postgres)         kept, expected kept', 'store-outage (postgres)        fails-fast, expected fails-fast', 'session-fixation (postgres)    safe, expected safe', 'logout-everywhere (postgres)   reached, expected reached', 'cookie-secure (postgres)       secure, expected secure']],
  ])('%s gives its expected card and exits 0', { timeout: 180_000 }, async (command, lines) => {
    const { code, stdout } = await lab('check', ...command.split(' '));
    for (const line of lines) expect(stdout).toContain(line);
    expect(stdout).not.toMatch(/^ {2}✗/m);
    expect(code).toBe(0);
  });

  it('gives the PHP example its expected card, with one JSON entry per check and a skipped one with its reason', { timeout: 60_000 }, async () => {
    const out = join(await testTempDir('check-json'), 'card.json');
    const { code, stdout } = await lab('check', 'examples/php/lab-app.yml', '--json', out);
    expect(stdout).toContain('round-robin (file)             lost, expected lost');
    expect(stdout).toContain('concurrent-writes (file)       kept, expected kept');
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as { app: string; checks: { check: string; store: string; outcome?: string; expected?: string | null; skipped?: string; metrics?: object }[] };
    expect(report.app).toBe('php-notes');
    expect(report.checks.map((c) => c.check)).toEqual(['contract', 'round-robin', 'secret-per-node', 'node-restart', 'node-kill', 'store-outage', 'store-pause', 'store-crash', 'concurrent-writes', 'cookie-flags', 'cookie-secure', 'cookie-size', 'session-fixation', 'logout-replay', 'logout-everywhere']);
    expect(report.checks.find((c) => c.check === 'round-robin')).toMatchObject({ store: 'file', outcome: 'lost', expected: 'lost', metrics: expect.any(Object) });
    expect(report.checks.find((c) => c.check === 'secret-per-node')).toEqual({ check: 'secret-per-node', store: 'file', skipped: 'the app file gives the app no {secret}' });
  });

  it('refuses --only with a check it does not know, naming the checks, before anything starts', async () => {
    const { code, stdout } = await lab('check', 'examples/php/lab-app.yml', '--only', 'round-robbin');
    expect(code).toBe(2);
    expect(stdout).toContain('--only round-robbin: no check round-robbin; the checks are round-robin, secret-per-node,');
  });

  it('says a contract mistake before any verdict: the cookie the file names is never set', { timeout: 60_000 }, async () => {
    const dir = join(projectRoot, 'examples', 'express');
    const file = join(dir, 'lab-app.wrong-cookie.yml');
    await copyFile(join(dir, 'lab-app.yml'), file);
    const { rm } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('cookie: connect.sid', 'cookie: sid').replace(/\nexpect:[\s\S]*/, '\n'));
    try {
      const { code, stdout } = await lab('check', file, '--store', 'memory');
      expect(code).toBe(1);
      expect(stdout).toContain('contract (memory)              broken, expected holds');
      expect(stdout).toContain('expected the session cookie the app file names, saw no such cookie in the jar');
      // The login still works with the wrong name: only the round trip is named.
      expect(stdout).toMatch(/The round trip of .* does not work on one node/);
      expect(stdout).not.toContain('round-robin (memory)');
    } finally {
      await rm(file, { force: true });
    }
  });

  it('says a login mistake before any verdict: a logged-in pattern that never matches', { timeout: 60_000 }, async () => {
    const dir = join(projectRoot, 'examples', 'flask');
    const file = join(dir, 'lab-app.wrong-pattern.yml');
    const { rm } = await import('node:fs/promises');
    await writeFile(file, (await readFile(join(dir, 'lab-app.yml'), 'utf8')).replace(`pattern: '"user": ?"{user}"'`, `pattern: '"name":"{user}"'`).replace(/\nexpect:[\s\S]*/, '\n'));
    try {
      const { code, stdout } = await lab('check', file);
      expect(code).toBe(1);
      expect(stdout).toContain('contract (cookie)              broken, expected holds');
      expect(stdout).toContain('expected a logged-in answer (2xx, the body matching login.loggedIn.pattern), saw status 200 whose body does not match');
      expect(stdout).toMatch(/The login of .* does not work on one node/);
      expect(stdout).not.toContain('session-fixation (cookie)');
    } finally {
      await rm(file, { force: true });
    }
  });
});
