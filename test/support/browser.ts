// Debian's Chromium, headless, driven by playwright-core (never a downloaded browser).
import { chromium, type Browser, type Page } from 'playwright-core';
import { findBinary } from '../../runner/binaries.ts';

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * A browser started on an empty profile (playwright-core gives it a fresh temporary
 * --user-data-dir and removes it on close). Each newDevice() is its own context: its own cookie
 * jar, like another device.
 */
export async function openBrowser(): Promise<{ browser: Browser; newDevice(): Promise<Page>; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: findBinary('chromium'), headless: true, args: chromiumFlags });
  return {
    browser,
    newDevice: async () => (await browser.newContext()).newPage(),
    close: () => browser.close(),
  };
}
