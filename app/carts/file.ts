// Carts as files in the node's session directory (carts/<sid>.json), beside session-file-store's
// session files: they survive a restart and live on this node's disk only. A change reads, changes
// and rewrites the file under a lock file (proper-lockfile), which another process honours too,
// so two requests, or two processes sharing the directory, cannot interleave inside a change.
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { CartLine } from '../contract.ts';
import { addToCart, removeFromCart, type CartStore } from './cart-store.ts';

// A session id as express-session makes them; anything else never becomes a file name.
const safeId = /^[A-Za-z0-9_-]{1,128}$/;

export async function fileCarts(sessionDir: string, ttlSeconds: number): Promise<CartStore> {
  const dir = join(sessionDir, 'carts');
  await mkdir(dir, { recursive: true });
  const ttlMs = ttlSeconds * 1000;
  const fileOf = (sessionId: string) => {
    if (!safeId.test(sessionId)) throw new Error(`not a session id: ${JSON.stringify(sessionId)}`);
    return join(dir, `${sessionId}.json`);
  };
  /** The cart in the file; an expired or missing file is an empty cart. */
  const read = async (file: string): Promise<CartLine[]> => {
    try {
      if (Date.now() - (await stat(file)).mtimeMs > ttlMs) return [];
      return JSON.parse(await readFile(file, 'utf8')) as CartLine[];
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return [];
      throw err;
    }
  };
  const locked = async <T>(sessionId: string, work: (file: string) => Promise<T>): Promise<T> => {
    const file = fileOf(sessionId);
    // The lock is a directory next to the file, so the cart file itself need not exist yet.
    const release = await lockfile.lock(file, { realpath: false, stale: 5000, retries: { retries: 50, factor: 1.2, minTimeout: 2, maxTimeout: 50 } });
    try {
      return await work(file);
    } finally {
      await release();
    }
  };
  const change = (sessionId: string, next: (lines: CartLine[]) => CartLine[]) =>
    locked(sessionId, async (file) => {
      const lines = next(await read(file));
      // Written whole and renamed into place: a reader never sees half a file.
      await writeFile(`${file}.tmp`, JSON.stringify(lines));
      await rename(`${file}.tmp`, file);
      return lines;
    });
  const reap = async () => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > ttlMs) await rm(join(dir, name), { force: true });
    }
  };
  const reaper = setInterval(() => void reap(), Math.min(Math.max(ttlMs, 60_000), 3_600_000));
  reaper.unref();
  return {
    view: (sessionId) => read(fileOf(sessionId)),
    add: (sessionId, sku, qty) => change(sessionId, (lines) => addToCart(lines, sku, qty)),
    remove: (sessionId, sku) => change(sessionId, (lines) => removeFromCart(lines, sku)),
    // The file's modification time is its last use: a touch of the session moves it forward.
    refresh: async (sessionId) => {
      const now = new Date();
      await utimes(fileOf(sessionId), now, now).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
      });
    },
    delete: (sessionId) => rm(fileOf(sessionId), { force: true }),
    close: async () => clearInterval(reaper),
  };
}
