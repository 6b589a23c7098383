import type { OpenedStore } from './opened-store.ts';

// SESSION_STORE=cookie: no server state at all. The session travels sealed in the lab_sid cookie
// (see app/cookie-session.ts); there is nothing to open, ping or close.
export async function openCookieStore(): Promise<OpenedStore> {
  return {
    kind: 'cookie',
    target: "the client's cookie",
    ping: async () => {},
    close: async () => {},
  };
}
