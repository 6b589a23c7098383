import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, type Log } from './log.ts';

const firstRetryDelayMs = 250;
const maxRetryDelayMs = 5000;

/**
 * Calls open until it succeeds, backing off exponentially and saying why each attempt failed
 * (a node often starts before its Redis or PostgreSQL). Aborting the signal stops the waiting.
 */
export async function retryUntilOpen<T>(what: string, open: () => Promise<T>, log: Log, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      signal?.throwIfAborted();
      const delayMs = Math.min(firstRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
      log(`${what} not ready (${describeError(err)}); attempt ${attempt}, retrying in ${delayMs} ms`);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
