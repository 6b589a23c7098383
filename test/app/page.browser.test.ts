// The shop page in a real browser: add to cart, reload, the item and the serving node are there.
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser.ts';
import { startTestNode } from '../support/test-node.ts';

let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

describe('the shop page in Chromium', () => {
  it('adds an item to the cart, and after a reload shows it and the node that served the page', async () => {
    const node = await startTestNode({ NODE_NAME: 'server_7' });
    browser = await openBrowser();
    const page = await browser.context.newPage();
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
