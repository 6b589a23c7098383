import session from 'express-session';
import type { OpenedStore } from './opened-store.ts';

// express-session's MemoryStore: sessions live in this process's heap, so a restart loses them
// all, and an expired session is only dropped when someone asks for it.
export async function openMemoryStore(): Promise<OpenedStore> {
  const store = new session.MemoryStore();
  return {
    kind: 'memory',
    store,
    target: 'process memory',
    // MemoryStore keeps its sessions in a plain object; length() would drop the expired ones first.
    sessionsHeld: () => Object.keys((store as unknown as { sessions: object }).sessions).length,
    ping: async () => {},
    close: async () => {},
  };
}
