// Waiting with a deadline: the one timeout race and the one poll loop of the project (the app,
// the engine and the benchmark all use these). No dependencies: the app's image copies lib/.
import { setTimeout as sleep } from 'node:timers/promises';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Resolves or rejects like promise, or rejects with a TimeoutError naming `what` after ms. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PollOptions {
  timeoutMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Checked before each attempt: a reason to give up now (the process died), or undefined to go on. */
  giveUp?: () => string | undefined;
}

/**
 * Calls probe until it resolves, backing off between attempts; rejects when giveUp says so or
 * the deadline passes, with the last error. Readiness is asked of the thing itself, never
 * assumed after a fixed sleep.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T>, options: PollOptions): Promise<T> {
  const { timeoutMs, firstDelayMs = 10, maxDelayMs = 200, giveUp } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let delayMs = firstDelayMs; ; delayMs = Math.min(delayMs * 2, maxDelayMs)) {
    const reason = giveUp?.();
    if (reason) throw new Error(`${what} ${reason}${lastError ? ` (${describe(lastError)})` : ''}`);
    try {
      return await probe();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new TimeoutError(`${what} not ready after ${timeoutMs} ms: ${describe(lastError)}`);
    await sleep(delayMs);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
