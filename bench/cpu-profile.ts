// Reads a V8 CPU profile (what `node --cpu-prof` writes) and says where a process spent its CPU
// during given moments, by part: each npm package, each of Node's own modules, the code of the
// project itself, the garbage collector, and system calls made from native code (a socket's
// writev). Only the moments of load runs count, so start-up and pool creation stay out.

/** The fields of a .cpuprofile this reads (Chrome DevTools' format). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  /** Microseconds on the system's monotonic clock (the one of process.hrtime). */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: number[];
}

/** A stretch of time on the monotonic clock, in microseconds. */
export interface Window {
  startMicros: number;
  endMicros: number;
}

const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** The part a function belongs to, or undefined for idle time. */
export function partOf(frame: { functionName: string; url: string }): string | undefined {
  const { functionName, url } = frame;
  if (functionName === '(idle)' || functionName === '(root)') return undefined;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'V8 itself (program)';
  const pkg = nodeModule.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length).replace(/^internal\//, '').split('/')[0]!;
    if (module.startsWith('_http_')) return 'node:http';
    if (module === 'stream_base_commons' || module === 'net') return 'node:net';
    return `node:${module}`;
  }
  // A native function called from JavaScript: its own time is mostly its system call.
  if (url === '') return `native ${functionName}`;
  return 'own code';
}

/**
 * Microseconds of CPU per part within the windows. A sample stands for the time until the next
 * one; a sample counts when it was taken inside a window.
 */
export function timeByPart(profile: CpuProfile, windows: readonly Window[]): Map<string, number> {
  const parts = new Map<number, string | undefined>(profile.nodes.map((n) => [n.id, partOf(n.callFrame)]));
  const byPart = new Map<string, number>();
  let at = profile.startTime;
  const times = profile.samples.map((_, i) => (at += profile.timeDeltas[i] ?? 0));
  for (let i = 0; i < profile.samples.length; i++) {
    const part = parts.get(profile.samples[i]!);
    if (part === undefined) continue;
    const time = times[i]!;
    if (!windows.some((w) => time >= w.startMicros && time < w.endMicros)) continue;
    const span = (times[i + 1] ?? profile.endTime) - time;
    byPart.set(part, (byPart.get(part) ?? 0) + span);
  }
  return byPart;
}
