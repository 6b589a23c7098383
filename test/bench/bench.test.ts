// The benchmark runs and says something plausible on a tiny configuration. It measures no speed:
// figures are for people to read, and these machines are shared and noisy.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report.ts';
import { projectRoot } from '../../runner/topology.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

describe('npm run bench -- --tiny', () => {
  it('runs every case with no errors and writes a well-formed JSON and Markdown report and an SVG chart', { timeout: 180_000 }, async () => {
    const out = await testTempDir('bench');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--tiny', '--out', out], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 170_000,
    });
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}-tiny\.json$/);
    expect(files[1]).toMatch(/^\d{4}-\d{2}-\d{2}-tiny\.md$/);
    expect(files[2]).toMatch(/^\d{4}-\d{2}-\d{2}-tiny\.svg$/);
    const report = JSON.parse(await readFile(join(out, files[0]!), 'utf8')) as BenchReport;

    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.nginx).toMatch(/^nginx\/\d/);
    const stores = ['memory', 'file', 'redis', 'postgres'];
    const targets = [
      'baseline (no session)',
      ...[...stores, 'cookie'].flatMap((s) => [`${s} direct`, `${s} via nginx, ${s === 'memory' || s === 'file' ? '1 node' : '2 nodes'}`]),
      ...stores.flatMap((s) => [`${s} direct, cart in session`, `${s} direct, touch on every read`, `${s} direct, plain peer`]),
      'redis (AOF everysec) direct',
      'redis (AOF always) direct',
      'postgres direct, logged in (token check, DB cart)',
    ];
    expect(report.throughput.map((r) => r.target).sort()).toEqual(targets.flatMap((t) => [t, t]).sort());
    for (const target of targets) {
      for (const path of ['read', 'write'] as const) {
        const result = report.throughput.find((r) => r.target === target && r.path === path);
        expect(result, `${target} ${path}`).toBeDefined();
        expect(result!.requestsPerSecond).toBeGreaterThan(0);
        expect(result!.requests).toBeGreaterThan(0);
        expect([result!.errors, result!.non2xx], `${target} ${path}`).toEqual([0, 0]);
        expect(result!.ratioToBaseline).toBeGreaterThan(0);
        // A store's node direct also runs in the stores' group, beside the baseline, each round.
        const groups = [...stores, 'cookie'].some((s) => target === `${s} direct`) ? 2 : 1;
        expect(result!.runs, `${target} ${path}`).toHaveLength(report.settings.rounds * groups);
        expect(new Set(result!.runs.map((r) => r.block)).size, `${target} ${path}`).toBe(groups);
        // The node's process was found and worked; a store's server is counted where there is one.
        expect(result!.cpuMicros.node, `${target} ${path}`).toBeGreaterThan(0);
        expect('store' in result!.cpuMicros, `${target} ${path}`).toBe(/^(redis|postgres)/.test(target));
        expect('balancer' in result!.cpuMicros, `${target} ${path}`).toBe(target.includes('via nginx'));
      }
    }
    expect(report.memory!.sizes.map((m) => m.sessions)).toEqual(report.settings.memorySessionCounts);
    for (const size of report.memory!.sizes) expect(size.heapBytesPerSession).toBeGreaterThan(0);
    expect(report.memory!.reclaim.reclaimed).toBe(false);
    expect(report.fileStore!.map((f) => f.files)).toEqual(report.settings.fileSessionCounts);
    expect(report.loginTiming!.samples).toBe(8);
    for (const outage of report.outage!) {
      expect(outage.statuses).toBe(`${report.settings.outageRequests}×503`);
      expect(outage.maxMs).toBeLessThan(1500);
    }
    const markdown = await readFile(join(out, files[1]!), 'utf8');
    for (const heading of ['## Answers', '## Throughput and latency', '## MemoryStore', '## File store at scale', '## The cookie store on the wire', '## A request while the store is down']) expect(markdown).toContain(heading);
    expect(report.cookieSize!.at(-1)!.setCookieBytes).toBeLessThanOrEqual(4096);
    const chart = await readFile(join(out, files[2]!), 'utf8');
    expect(chart.match(/<rect class="bar"/g)).toHaveLength(report.throughput.length);
    expect(stdout).toContain('written:');
    // Said before it started, and how far it was, run by run (plain lines: no terminal here).
    expect(stdout).toMatch(/This takes about \d+ (s|min)/);
    expect(stdout).toMatch(/\[round 1\/1, run 1\/\d+, about \d+ (s|min)[^\]]* left\]/);
  });

  // A group without the throughput rig (no stores, no nginx to start): what is measured is what --only named.
  it('measures only the groups --only names, and says which', { timeout: 120_000 }, async () => {
    const out = await testTempDir('bench-only');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--tiny', '--only', 'memory', '--out', out], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 110_000,
    });
    const [json] = (await readdir(out)).filter((f) => f.endsWith('.json'));
    const report = JSON.parse(await readFile(join(out, json!), 'utf8')) as BenchReport;
    expect(report.groups).toEqual(['memory']);
    expect(report.throughput).toEqual([]);
    expect(report.memory!.sizes.map((m) => m.sessions)).toEqual(report.settings.memorySessionCounts);
    expect([report.fileStore, report.outage, report.cookieSize]).toEqual([undefined, undefined, undefined]);
    expect(stdout).toContain('groups: memory;');
  });
});
