import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from '../processes.ts';

/**
 * Polls `probe` until it resolves, the process dies, or the deadline passes. Readiness is always
 * asked of the service itself, never assumed after a fixed sleep.
 */
export async function waitUntilReady(what: string, probe: () => Promise<unknown>, managed: ManagedProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let delayMs = 10; ; delayMs = Math.min(delayMs * 2, 200)) {
    if (!managed.running) throw new Error(`${what} exited before it was ready${lastError ? ` (${String(lastError)})` : ''}`);
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms: ${String(lastError)}`);
    await sleep(delayMs);
  }
}
