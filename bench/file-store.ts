// The file store as its directory fills: get and set latency with N session files on disk, and
// how long one pass of the reaper (which reads every file to find the expired ones) takes.
import { createRequire } from 'node:module';
import type { SessionData, Store } from 'express-session';
import { loadConfig } from '../app/config.ts';
import { openStore } from '../app/stores/index.ts';
import { makeTempDir } from '../runner/temp-dir.ts';
import type { BenchSettings } from './settings.ts';

// The reaper session-file-store runs on its interval, called directly.
const helpers = createRequire(import.meta.url)('session-file-store/lib/session-file-helpers') as {
  reap(options: unknown, callback: (err?: unknown) => void): void;
};

export interface FileStoreResult {
  files: number;
  setP50Ms: number;
  setP99Ms: number;
  getP50Ms: number;
  getP99Ms: number;
  reapMs: number;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;

function session(): SessionData {
  return { cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000), httpOnly: true, path: '/' }, cart: [{ sku: 'apple', qty: 1 }] } as unknown as SessionData;
}

const call = (run: (done: (err?: unknown) => void) => void) => new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())));

async function timed(run: () => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

export async function measureFileStore(settings: BenchSettings): Promise<FileStoreResult[]> {
  const dir = await makeTempDir('bench-files');
  const opened = await openStore(loadConfig({ SESSION_SECRET: 'bench', SESSION_STORE: 'file', SESSION_FILE_DIR: dir.path }), () => {});
  const store = opened.store as Store & { options: unknown };
  const results: FileStoreResult[] = [];
  try {
    let files = 0;
    for (const target of settings.fileSessionCounts) {
      // Fill up to the target, 64 writes at a time.
      while (files < target) {
        const batch = Math.min(64, target - files);
        await Promise.all(Array.from({ length: batch }, (_, i) => call((done) => store.set(`fill-${files + i}`, session(), done))));
        files += batch;
      }
      const sets: number[] = [];
      const gets: number[] = [];
      for (let i = 0; i < settings.samples; i++) {
        sets.push(await timed(() => call((done) => store.set(`fill-${Math.floor(Math.random() * files)}`, session(), done))));
        gets.push(await timed(() => call((done) => store.get(`fill-${Math.floor(Math.random() * files)}`, (err) => done(err)))));
      }
      const reapMs = await timed(() => call((done) => helpers.reap(store.options, done)));
      results.push({
        files,
        setP50Ms: round(percentile(sets, 0.5)),
        setP99Ms: round(percentile(sets, 0.99)),
        getP50Ms: round(percentile(gets, 0.5)),
        getP99Ms: round(percentile(gets, 0.99)),
        reapMs: Math.round(reapMs),
      });
    }
  } finally {
    await opened.close();
    await dir.remove();
  }
  return results;
}
