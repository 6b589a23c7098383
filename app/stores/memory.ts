import session from 'express-session';
import type { OpenedStore } from './opened-store.ts';

// express-session's MemoryStore: sessions live in this process's heap, so a restart loses them
// all, and an expired session is only dropped when someone asks for it.
export async function openMemoryStore(): Promise<OpenedStore> {
  return {
    kind: 'memory',
    store: new session.MemoryStore(),
    target: 'process memory',
    ping: async () => {},
    close: async () => {},
  };
}
