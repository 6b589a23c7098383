// The lab console in Debian's Chromium, beside a real file-2 (nginx, two nodes, PostgreSQL): no
// console error or CSP violation, 20 requests sent by curl show as 20 marks within 2 s, a device's
// add moves the session count, the kill button kills the node's process and its card says so.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTopology } from '../../runner/local/backend.ts';
import { startLocalTopology } from '../../runner/local/backend.ts';
import type { ProcessService } from '../../runner/servers/process-service.ts';
import { loadTopology, projectRoot } from '../../runner/topology.ts';
import { startConsole, type RunningConsole } from '../../scenarios/console/server.ts';
import { openBrowser } from '../support/browser.ts';

const run = promisify(execFile);

describe('the lab console', () => {
  let running: LocalTopology;
  let served: RunningConsole;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    running = await startLocalTopology(loadTopology('file-2'));
    served = await startConsole(running, { pollMs: 300 });
    browser = await openBrowser();
    page = await browser.newDevice();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await running?.down();
  });

  const marks = () => page.locator('[data-request]').count();
  const sessionsHeld = () => page.$$eval('[data-store-sessions]', (nodes) => nodes.reduce((sum, n) => sum + Number(n.getAttribute('data-store-sessions') || 0), 0));

  it('answers 404 without its token, or with another one', async () => {
    const origin = new URL(served.url).origin;
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await fetch(`${origin}/not-the-token/state`)).status).toBe(404);
  });

  it('refuses a body it cannot take with the reason, and changes nothing', async () => {
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${served.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: string } }));
    await expect(post('faults', '{"fault":')).resolves.toMatchObject({ status: 400, body: { error: 'bad_json' } });
    await expect(post('faults', '["kill"]')).resolves.toMatchObject({ status: 400, body: { error: 'bad_json' } });
    await expect(post('faults', JSON.stringify({ fault: 'kill', target: 'x'.repeat(20_000) }))).resolves.toMatchObject({ status: 413, body: { error: 'body_too_large' } });
    await expect(post('faults', '{"fault":"explode","target":"server_1"}')).resolves.toMatchObject({ status: 400, body: { error: 'bad_fault' } });
    await expect(post('faults', '{"fault":"kill","target":"server_9"}')).resolves.toMatchObject({ status: 409, body: { error: 'fault_failed' } });
    await expect(post('faults', 'fault=kill&target=server_1', 'application/x-www-form-urlencoded')).resolves.toMatchObject({ status: 415 });
    const state = (await (await fetch(`${served.url}state`)).json()) as { services: { name: string; status: string }[]; faultsDone: unknown[] };
    // server_3 is the spare node, down until a scale-out.
    expect(state.services.filter((s) => s.status !== 'up').map((s) => s.name)).toEqual(['server_3']);
  });

  it('shows a card per service and a lane per node', async () => {
    for (const service of ['server_1', 'server_2', 'nginx', 'postgres']) {
      await expect(page.locator(`[data-service="${service}"]`).getAttribute('data-status')).resolves.toBe('up');
    }
    await expect(page.locator('[data-service="server_1"] [data-fault="kill"]').count()).resolves.toBe(1);
  });

  it('draws 20 requests sent by curl as 20 marks, in their nodes’ lanes, within 2 s', async () => {
    const before = await marks();
    for (let i = 0; i < 20; i++) await run('curl', ['-s', '-o', '/dev/null', `${running.balancerUrl}/cart`]);
    const sent = Date.now();
    await expect.poll(marks, { timeout: 2000, interval: 50 }).toBeGreaterThanOrEqual(before + 20);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect((await marks()) - before).toBe(20);
    const nodes = await page.$$eval('[data-request]', (nodes) => nodes.slice(-20).map((n) => n.getAttribute('data-node')));
    expect(new Set(nodes)).toEqual(new Set(['server_1', 'server_2']));
  });

  it('moves the session count when a new device adds to its cart', async () => {
    const before = await sessionsHeld();
    await page.click('#new-device');
    await page.click('[data-device="device-1"] [data-verb="add"]');
    await page.waitForSelector('[data-device="device-1"] .result:has-text("cart apple×1")');
    await expect.poll(sessionsHeld, { timeout: 3000, interval: 100 }).toBeGreaterThan(before);
    // nginx logged the device's name (X-Lab-Device), and its mark says who sent it.
    await expect.poll(() => page.locator('[data-request][title$="(device-1)"]').count(), { timeout: 2000, interval: 50 }).toBeGreaterThan(0);
  });

  it('kills server_1’s process with its kill button, and its card says down', async () => {
    const node = running.service('server_1') as ProcessService;
    const pid = node.pid!;
    await page.click('[data-service="server_1"] [data-fault="kill"]');
    await page.waitForSelector('[data-service="server_1"][data-status="down"]', { timeout: 5000 });
    expect(node.running).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(page.locator('.fault-line', { hasText: /^kill server_1$/ }).count()).resolves.toBe(1);
  });

  it('adds server_3 with the fleet’s button: its card says up and its lane gets requests', async () => {
    await page.click('#scale-out');
    // The fault's line comes once it is done: the node answered and nginx reloaded.
    await page.waitForSelector('.fault-line[data-fault-line="scale-out"]', { timeout: 10_000 });
    await page.waitForSelector('[data-service="server_3"][data-status="up"]', { timeout: 5000 });
    expect(running.balancer!.nodes()).toEqual(['server_1', 'server_2', 'server_3']);
    for (let i = 0; i < 6; i++) await (await fetch(`${running.balancerUrl}/healthz`)).body?.cancel();
    await page.waitForSelector('[data-request][data-node="server_3"]', { timeout: 5000 });
  });

  it('saves what happened as an HTML report', async () => {
    await page.click('#save-report');
    await page.waitForSelector('#report-path:has-text("written to")');
    const file = (await page.textContent('#report-path'))!.replace('written to ', '');
    expect(existsSync(join(projectRoot, file))).toBe(true);
  });

  it('logged no error and no Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
