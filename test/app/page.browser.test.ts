// The shop page in a real browser: add to cart, reload, the item and the serving node are there.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser } from '../support/browser.ts';
import { join } from 'node:path';
import { startTestNode } from '../support/test-node.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

describe('the shop page in Chromium', () => {
  it('adds an item to the cart, and after a reload shows it and the node that served the page', async () => {
    const node = await startTestNode({ NODE_NAME: 'server_7' });
    browser = await openBrowser();
    const page = await browser.newDevice();
    await page.goto(node.url + '/');
    await expect.poll(() => page.textContent('#node')).toBe('server_7');
    expect(await page.textContent('#state')).toBe('new');
    expect(await page.isVisible('#empty')).toBe(true);

    await Promise.all([page.waitForEvent('load'), page.click('[data-testid="add-apple"]')]);
    await page.reload();
    expect(await page.textContent('#cart')).toContain('apple × 1');
    expect(await page.textContent('#node')).toBe('server_7');
    expect(await page.textContent('#state')).toBe('existing');
    expect(await page.isVisible('#empty')).toBe(false);

    await Promise.all([page.waitForEvent('load'), page.click('[data-testid="remove-apple"]')]);
    expect(await page.isVisible('#empty')).toBe(true);
  });
});

describe('the page’s history of this browser’s requests', () => {
  it('lists each page load, newest first, with its node and session state, and logs no console error', async () => {
    const node = await startTestNode({ NODE_NAME: 'server_3' });
    browser = await openBrowser();
    const page = await browser.newDevice();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(node.url + '/');
    await page.reload();
    await page.reload();
    const rows = await page.locator('#history tr.visit').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent)));
    await page.screenshot({ path: join(await testTempDir('page'), 'page.png'), fullPage: true });
    expect({ rows, errors }).toEqual({ rows: [['server_3', 'existing'], ['server_3', 'existing'], ['server_3', 'new']], errors: [] });
  });
});

describe('the account part of the page in Chromium', () => {
  it('signs up, shows the user and this device, logs in a second device, and revokes it from the first', async () => {
    const node = await startTestNode({ DATABASE_URL: inject('databaseUrl') });
    browser = await openBrowser();
    const username = `page-${randomBytes(3).toString('hex')}`;
    const first = await browser.newDevice();
    await first.goto(node.url + '/');
    await first.fill('input[name=username]', username);
    await first.fill('input[name=password]', 'correct horse battery');
    await Promise.all([first.waitForEvent('load'), first.click('[data-testid="signup"]')]);
    expect(await first.textContent('#username')).toBe(username);
    expect(await first.locator('#devices li').count()).toBe(1);

    const other = await browser.newDevice();
    await other.goto(node.url + '/');
    await other.fill('input[name=username]', username);
    await other.fill('input[name=password]', 'correct horse battery');
    await Promise.all([other.waitForEvent('load'), other.click('[data-testid="login"]')]);
    expect(await other.textContent('#username')).toBe(username);

    await first.reload();
    const devices = first.locator('#devices li');
    expect(await devices.count()).toBe(2);
    const otherDevice = devices.filter({ hasNotText: 'this device' });
    await Promise.all([first.waitForEvent('load'), otherDevice.locator('button').click()]);
    expect(await first.locator('#devices li').count()).toBe(1);

    await other.reload();
    expect(await other.isVisible('#login-form')).toBe(true);
    expect(await other.textContent('#login-notice')).toBe('You were logged out: session revoked. Log in again.');
  });
});

describe('the page under its Content-Security-Policy', () => {
  it('runs its own script and style, allowed by the nonce, with no violation', async () => {
    const node = await startTestNode({ NODE_NAME: 'server_5' });
    browser = await openBrowser();
    const page = await browser.newDevice();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
    });
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    // In the page: every violation event is reported back (no DOM types in this test's TypeScript).
    await page.addInitScript('addEventListener("securitypolicyviolation", (event) => reportViolation(event.violatedDirective))');
    const response = await page.goto(node.url + '/');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    // The script ran (it fills the serving node in), and the inline style applied.
    await expect.poll(() => page.textContent('#node')).toBe('server_5');
    expect(await page.evaluate('getComputedStyle(document.querySelector(".facts")).display')).toBe('grid');
    expect(violations).toEqual([]);
  });
});
