// The lab CLI as a user types it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { projectRoot } from '../../runner/topology.ts';

async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return labFrom('scenarios/lab.ts', ...args);
}

async function labFrom(entry: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run lab', () => {
  it('lists every scenario and topology', async () => {
    const { code, stdout } = await lab('list');
    expect(code).toBe(0);
    for (const scenario of scenarios) expect(stdout).toContain(scenario.name);
    expect(stdout).toMatch(/redis-2\s+server_1, server_2, server_3 \(spare\), nginx, redis/);
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await lab('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('run <scenario…|all>');
  });

  it.each([
    [['run', 'nope'], 'unknown scenario "nope"; known: memory-restart'],
    [['run'], 'run needs scenario names or "all"'],
    [['up', 'nope'], 'unknown topology "nope"'],
    [['run', 'memory-restart', '--backend', 'docker'], '--backend must be local or compose (got "docker")'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['run', 'all', '--colour'], "Unknown option '--colour'"],
    [['k8s'], 'k8s needs a topology'],
    [['run', 'memory-restart', '--repeat', '0'], '--repeat must be a whole number from 1 to 100 (got "0")'],
    [['run', 'memory-restart', '--repeat', 'ten'], '--repeat must be a whole number from 1 to 100 (got "ten")'],
    [['k8s', 'redis-2', '--namespace', 'Lab_1'], '--namespace must be a DNS label'],
  ])('refuses %j with exit 2 and a clear message', async (args, message) => {
    const { code, stderr } = await lab(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('    at ');
  });

  it('prints a topology as Kubernetes manifests', async () => {
    const { code, stdout } = await lab('k8s', 'file-2', '--namespace', 'shop-test');
    expect(code).toBe(0);
    expect(stdout).toContain('kind: StatefulSet');
    expect(stdout).toContain('namespace: shop-test');
  });

  it('runs a scenario, prints its steps and the table, and writes the JSON report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-lab-report-'));
    try {
      const { code, stdout } = await lab('run', 'memory-restart', '--json', join(dir, 'report.json'));
      expect(code).toBe(0);
      expect(stdout).toContain('phone     POST /cart/items apple×2 → server_1 → new → cart apple×2');
      expect(stdout).toContain('nemesis   restart server_1');
      expect(stdout).toContain('phone     GET /cart → server_1 → lost → cart empty');
      expect(stdout).toMatch(/memory-restart\s+session-lost\s+session-lost\s+[\d.]+ s\s+PASS/);
      expect(stdout).toMatch(/first bad operation #4 at \d+ ms: phone GET \/cart on server_1: expected the same session, cart apple×2 bread×1, saw lost, cart empty/);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      expect(report.scenarios).toHaveLength(1);
      expect(report.scenarios[0]).toMatchObject({ name: 'memory-restart', topology: 'memory-1', expected: 'session-lost', observed: 'session-lost', passed: true });
      expect(report.scenarios[0].history.length).toBe(5);
      expect(report.scenarios[0].metrics).toMatchObject({ cartBefore: 3, cartAfter: 0 });
      expect(report.scenarios[0].firstBad).toMatchObject({ index: 4, process: 'phone', request: 'GET /cart', node: 'server_1', seen: 'lost, cart empty' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a scenario N times with --repeat: the runs column, and a JSON report with every run and the summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-lab-repeat-'));
    try {
      const { code, stdout } = await lab('run', 'memory-restart', '--repeat', '3', '--json', join(dir, 'report.json'));
      expect(code).toBe(0);
      expect(stdout).toContain('▶ memory-restart [run 3/3]');
      expect(stdout).toMatch(/memory-restart\s+session-lost\s+3\/3\s+session-lost×3\s+PASS\s+cartBefore=3 cartAfter=0/);
      expect(stdout).toContain('1 of 1 scenarios observed what they expected in every one of 3 runs');
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      expect(report.repeat).toBe(3);
      expect(report.scenarios).toHaveLength(3);
      // The first run keeps its history; the later ones, which matched, only say how long it was.
      expect(report.scenarios[0].history.length).toBeGreaterThan(0);
      expect(report.scenarios[1].history).toBeUndefined();
      expect(report.scenarios[2].historyOmitted).toBeGreaterThan(0);
      expect(report.summary).toEqual([expect.objectContaining({ name: 'memory-restart', runs: 3, matched: 3, outcomes: { 'session-lost': 3 } })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('when a checker throws', () => {
    it('reports checker-error for it, runs the next scenario, prints the table and exits 1', async () => {
      const { code, stdout } = await labFrom('test/fixtures/lab-with-broken-checker.ts', 'run', 'all');
      expect(code).toBe(1);
      expect(stdout).toContain('✗ the checker failed: no such probe label');
      expect(stdout).toMatch(/broken-checker\s+session-lost\s+checker-error\s+[\d.]+ s\s+FAIL/);
      expect(stdout).toMatch(/memory-restart\s+session-lost\s+session-lost\s+[\d.]+ s\s+PASS/);
    });
  });
});
