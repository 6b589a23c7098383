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
