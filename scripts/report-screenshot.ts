// Makes the README's picture of the HTML report (docs/report.png) from a real run:
// `npm run lab -- run file-round-robin sticky-failover kill-under-load`, its report opened in
// Debian's Chromium. `node --import tsx scripts/report-screenshot.ts`
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { findBinary } from '../runner/binaries.ts';
import { projectRoot } from '../runner/topology.ts';

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const story = ['file-round-robin', 'sticky-failover', 'kill-under-load'];

const dir = await mkdtemp(join(tmpdir(), 'session-lab-report-'));
try {
  const html = join(dir, 'report.html');
  // The run's own exit code says whether every verdict matched: a picture of a failed run is not one to keep.
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scenarios/lab.ts', 'run', ...story, '--html', html], { cwd: projectRoot, maxBuffer: 64 << 20 });
  const browser = await chromium.launch({ executablePath: findBinary('chromium'), headless: true, args: flags });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    await page.goto(`file://${html}`);
    await page.screenshot({ path: join(projectRoot, 'docs', 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  console.log('docs/report.png');
} finally {
  await rm(dir, { recursive: true, force: true });
}
