import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import session from 'express-session';
import sessionFileStore from 'session-file-store';
import type { Config } from '../config.ts';
import { fileCarts } from '../carts/file.ts';
import { storeLength } from './store-callback.ts';
import type { OpenedStore } from './opened-store.ts';

const FileStore = sessionFileStore(session);

// session-file-store: one JSON file per session id in SESSION_FILE_DIR, so sessions survive a
// restart but live on this node's disk only.
export async function openFileStore(config: Readonly<Config>): Promise<OpenedStore> {
  const dir = resolve(config.sessionFileDir);
  await mkdir(dir, { recursive: true });
  await access(dir, constants.R_OK | constants.W_OK);
  const options: sessionFileStore.Options & { reapIntervalObject?: NodeJS.Timeout } = {
    path: dir,
    ttl: config.sessionTtlSeconds,
    // Files are written atomically (rename), so a retry cannot make a missing file appear; one
    // short retry covers transient errors such as EMFILE without making every unknown id slow.
    retries: 1,
    factor: 1,
    minTimeout: 10,
    maxTimeout: 10,
    // Expired files are also refused on read; the reaper only frees the disk.
    reapInterval: Math.min(Math.max(config.sessionTtlSeconds, 60), 3600),
    // The store logs every retried read of an unknown id; the request log already shows those.
    logFn: () => {},
  };
  const store = new FileStore(options);
  const carts = await fileCarts(dir, config.sessionTtlSeconds);
  return {
    kind: 'file',
    store,
    carts,
    target: dir,
    countSessions: () => storeLength(store),
    ping: () => access(dir, constants.R_OK | constants.W_OK),
    close: async () => {
      clearInterval(options.reapIntervalObject);
      await carts.close();
    },
  };
}
