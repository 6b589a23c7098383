// The benchmark scripts' command lines: an unknown or malformed option, or a value out of range,
// ends the script with a one-line reason, its usage and exit code 2, not a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function usageError(script: string, usage: string, message: string): never {
  console.error(`${script}: ${message}\nUsage: ${usage}`);
  process.exit(2);
}

export function parseBenchArgs<T extends ParseArgsConfig>(script: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    usageError(script, usage, err instanceof Error ? err.message : String(err));
  }
}
