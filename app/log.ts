/** Where a node writes its log lines; stdout in production, a collector in tests. */
export type Log = (line: string) => void;

export const stdoutLog: Log = (line) => {
  process.stdout.write(line + '\n');
};

export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
