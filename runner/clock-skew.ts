// A node whose clock is wrong: libfaketime preloaded into its process, with the offset it reads at
// start. Only wall-clock time moves: monotonic time (timers, timeouts, performance.now) stays true,
// as on a machine whose NTP is off while its kernel counts on.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian (/usr/lib/<arch>/faketime/) and others install libfaketime; undefined when it is missing. */
export function faketimeLibrary(): string | undefined {
  const dirs = ['/usr/lib/faketime', ...readdirSync('/usr/lib').map((arch) => join('/usr/lib', arch, 'faketime'))];
  return dirs.map((dir) => join(dir, 'libfaketime.so.1')).find((path) => existsSync(path));
}

export class ClockSkewError extends Error {
  override name = 'ClockSkewError';
}

/** Seconds as the skew fault takes them: a whole number with its sign, within a day. */
export function parseSkewSeconds(text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new ClockSkewError(`a clock skew is whole seconds with a sign, e.g. +600 or -600, not "${text}"`);
  const seconds = Number(text.trim());
  if (Math.abs(seconds) > 86_400) throw new ClockSkewError(`a clock skew of ${seconds} s is more than a day; the lab skews by up to ±86400 s`);
  return seconds;
}

/** The variables that start a process with its clock off by seconds (none for 0: the true clock). */
export function skewedClockEnvironment(library: string, seconds: number): Record<string, string> {
  if (seconds === 0) return { LD_PRELOAD: '', FAKETIME: '', FAKETIME_DONT_FAKE_MONOTONIC: '' };
  return { LD_PRELOAD: library, FAKETIME: `${seconds > 0 ? '+' : ''}${seconds}s`, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}
