import sonicBoom, { type SonicBoom } from 'sonic-boom';

/** Where a node writes its log lines; stdout in production, a collector in tests. */
export type Log = (line: string) => void;

/**
 * stdout is written synchronously when it is a pipe or a file (as under Docker and the lab): one
 * write(2) per request line cost a node about a tenth of its read throughput. Lines are gathered
 * by sonic-boom (pino's writer) and written together: when 4 KiB are waiting, and at the latest
 * every 100 ms, so a quiet node's lines still show at once; whatever waits is written on exit.
 */
let stdout: SonicBoom | undefined;

function bufferedStdout(): SonicBoom {
  if (stdout) return stdout;
  const boom = new sonicBoom.SonicBoom({ fd: process.stdout.fd, minLength: 4096 });
  // A reader that went away (a closed pipe) must not take the node down with it.
  boom.on('error', () => {});
  setInterval(() => boom.flush(), 100).unref();
  process.on('exit', () => {
    try {
      boom.flushSync();
    } catch {
      // Nothing more can be done at exit.
    }
  });
  stdout = boom;
  return boom;
}

export const stdoutLog: Log = (line) => {
  bufferedStdout().write(line + '\n');
};

export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
