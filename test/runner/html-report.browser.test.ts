// The HTML report of a real run, opened in Debian's Chromium: lanes, marks and faults match the
// history, the first bad operation is ringed, nothing errs in the console; a screenshot is kept.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { htmlReport, lanesOf, markLimit, requestOps } from '../../runner/html-report.ts';
import type { Op } from '../../runner/history.ts';
import { startLocalTopology } from '../../runner/local/backend.ts';
import { runScenario, type ScenarioResult } from '../../runner/scenario.ts';
import { fileRoundRobin } from '../../scenarios/file-round-robin.ts';
import { memoryRestart } from '../../scenarios/memory-restart.ts';
import { openBrowser } from '../support/browser.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

/** A made-up load run: thousands of requests on two nodes, a kill in the middle. */
function loadResult(): ScenarioResult {
  const history: Op[] = [];
  for (let i = 0; i < 5000; i++) {
    const ms = i * 2;
    history.push({ index: history.length, process: `device-${i % 16}`, action: 'add-item', type: 'ok', startedMs: ms, endedMs: ms + 1, request: 'POST /cart/items', status: 200, servedBy: i % 2 ? 'server_1' : 'server_2', sessionState: 'existing' });
    if (i === 2500) history.push({ index: history.length, process: 'nemesis', action: 'kill', type: 'ok', startedMs: ms, endedMs: ms + 40, request: 'kill server_1', args: { service: 'server_1' } });
  }
  return { name: 'load', topology: 'redis-2', expected: 'no-write-lost', observed: 'no-write-lost', passed: true, metrics: {}, durationMs: 10_000, runDir: undefined, history };
}

describe('the HTML report in Chromium', () => {
  let results: ScenarioResult[];
  let page: Page;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  const consoleErrors: string[] = [];
  let html: string;

  beforeAll(async () => {
    const start = (t: Parameters<typeof startLocalTopology>[0]) => startLocalTopology(t);
    results = [await runScenario(fileRoundRobin, { start }), await runScenario(memoryRestart, { start }), loadResult()];
    html = htmlReport(results, new Date(), 'local');
    const dir = await testTempDir('report');
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    browser = await openBrowser();
    page = await browser.newDevice();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(`file://${file}`);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const section = (name: string) => `section[data-scenario="${name}"]`;

  it('has no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('links every scenario from the summary table', async () => {
    expect(await page.locator('table a').allTextContents()).toEqual(results.map((r) => r.name));
  });

  it('draws one lane per node that answered', async () => {
    expect(await page.locator(`${section('file-round-robin')} .lane`).count()).toBe(lanesOf(results[0]!.history).length);
  });

  it('draws one mark per request of the history', async () => {
    expect(await page.locator(`${section('file-round-robin')} .mark`).count()).toBe(requestOps(results[0]!.history).length);
  });

  it('colours the lost answers as lost', async () => {
    const lost = requestOps(results[0]!.history).filter((op) => op.sessionState === 'lost').length;
    expect(await page.locator(`${section('file-round-robin')} .mark[data-state="lost"]`).count()).toBe(lost);
  });

  it('draws the restart as a fault across the lanes', async () => {
    expect(await page.locator(`${section('memory-restart')} .fault`).count()).toBe(1);
  });

  it('rings the first bad operation', async () => {
    expect(await page.locator(`${section('memory-restart')} .first-bad`).getAttribute('data-index')).toBe(String(results[1]!.firstBad!.index));
  });

  it(`aggregates a run of more than ${markLimit} requests into bars that count every request`, async () => {
    const counts = await page.locator(`${section('load')} .bar`).evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number(bar.getAttribute('data-count')), 0));
    expect(counts).toBe(5000);
  });

  it('stays small for a load run: under 200 KB for 5,000 requests', () => {
    const load = htmlReport([results[2]!], new Date(), 'local');
    expect(Buffer.byteLength(load)).toBeLessThan(200 * 1024);
  });
});
