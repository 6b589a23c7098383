// express-session's stores answer through node-style callbacks; the lab's additions to them
// (the cart's expiry, replication, the recorded expiry) are promises. The one bridge between both.

export type StoreCallback = ((err?: unknown) => void) | undefined;

/** Calls back once work settles: with its error, or with none. */
export function settle(work: Promise<unknown>, callback: StoreCallback): void {
  work.then(
    () => callback?.(),
    (err: unknown) => callback?.(err),
  );
}

/** A callback for the store's own write: once that succeeded, more runs before callback is called. */
export function thenRun(more: () => Promise<unknown>, callback: StoreCallback): (err?: unknown) => void {
  return (err) => (err ? callback?.(err) : settle(more(), callback));
}

/** The store's own count of its sessions (express-session's optional `length`), as a promise. */
export function storeLength(store: { length?(callback: (err: unknown, length?: number) => void): void }): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!store.length) return reject(new Error('this store cannot count its sessions'));
    store.length((err, length) => (err ? reject(err) : resolve(length ?? 0)));
  });
}
