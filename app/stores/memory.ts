import session from 'express-session';
import { memoryCarts } from '../carts/memory.ts';
import type { Config } from '../config.ts';
import { storeLength } from './store-callback.ts';
import type { OpenedStore } from './opened-store.ts';

// express-session's MemoryStore: sessions live in this process's heap, so a restart loses them
// all, and an expired session is only dropped when someone asks for it.
export async function openMemoryStore(config: Readonly<Config>): Promise<OpenedStore> {
  const store = new session.MemoryStore();
  const carts = memoryCarts(config.sessionTtlSeconds);
  return {
    kind: 'memory',
    store,
    carts,
    target: 'process memory',
    // MemoryStore keeps its sessions in a plain object; length() would drop the expired ones first.
    sessionsHeld: () => Object.keys((store as unknown as { sessions: object }).sessions).length,
    countSessions: () => storeLength(store),
    ping: async () => {},
    close: () => carts.close(),
  };
}
