// Makes the README's two console screenshots (docs/console-*.png) in Debian's Chromium: file-2
// during file-round-robin's story (a device's cart lost hop after hop), and redis-2 while Redis
// restarts under two devices. `node --import tsx scripts/console-screenshots.ts`
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Page } from 'playwright-core';
import { findBinary } from '../runner/binaries.ts';
import { startLocalTopology } from '../runner/local/backend.ts';
import { stopAllManaged } from '../runner/processes.ts';
import { loadTopology, projectRoot } from '../runner/topology.ts';
import { startConsole } from '../scenarios/console/server.ts';

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function click(page: Page, selector: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.click(selector);
    await sleep(150);
  }
}

async function shoot(topology: string, story: (page: Page) => Promise<void>, file: string): Promise<void> {
  const running = await startLocalTopology(loadTopology(topology));
  const served = await startConsole(running, { pollMs: 300 });
  const browser = await chromium.launch({ executablePath: findBinary('chromium'), headless: true, args: flags });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]');
    await story(page);
    await sleep(800);
    await page.screenshot({ path: join(projectRoot, 'docs', file), fullPage: true });
    console.log(`docs/${file}`);
  } finally {
    await browser.close();
    await served.close();
    await running.down();
  }
}

try {
  await shoot(
    'file-2',
    async (page) => {
      await click(page, '#new-device');
      await click(page, '[data-device="device-1"] [data-verb="add"]', 2);
      await click(page, '[data-device="device-1"] [data-verb="view"]', 6);
      await click(page, '#new-device');
      await click(page, '[data-device="device-2"] [data-verb="add"]', 3);
      await click(page, '[data-device="device-2"] [data-verb="view"]', 6);
    },
    'console-file-round-robin.png',
  );
  await shoot(
    'redis-2',
    async (page) => {
      await click(page, '#new-device');
      await click(page, '#new-device');
      for (let i = 0; i < 3; i++) {
        await click(page, '[data-device="device-1"] [data-verb="add"]');
        await click(page, '[data-device="device-2"] [data-verb="add"]');
      }
      await click(page, '[data-device="device-2"] [data-verb="login"]');
      await click(page, '[data-service="redis"] [data-fault="restart"]');
      await sleep(600);
      for (let i = 0; i < 6; i++) {
        await click(page, '[data-device="device-1"] [data-verb="view"]');
        await click(page, '[data-device="device-2"] [data-verb="view"]');
      }
    },
    'console-redis-restart.png',
  );
} finally {
  await stopAllManaged();
}
