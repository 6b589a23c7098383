// Service output multiplexed like `docker compose logs -f`: every line prefixed with its
// service's name, aligned and coloured (unless NO_COLOR or not a terminal), and each service's
// output also kept in its own file.
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { styleText } from 'node:util';

const colors = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'red'] as const;

export function useColor(stream: NodeJS.WriteStream): boolean {
  return !process.env.NO_COLOR && stream.isTTY === true;
}

/** Hears every whole line a service writes (the console follows nginx's access log with it). */
export type LogListener = (service: string, line: string) => void;

/** A running topology's log lines as they come. */
export interface LogTap {
  subscribe(listener: LogListener): () => void;
}

/** Listeners and the one way to tell them a line. */
export class LogListeners implements LogTap {
  private readonly listeners = new Set<LogListener>();

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(service: string, line: string): void {
    for (const listener of this.listeners) listener(service, line);
  }
}

export class LogMux {
  private readonly files: WriteStream[] = [];
  /** Every whole line of every service, as it comes. */
  readonly lines = new LogListeners();
  private width = 0;
  private colorIndex = 0;

  constructor(
    private readonly dir: string,
    /** Where prefixed lines go live; undefined keeps them in the files only. */
    private readonly terminal: NodeJS.WriteStream | undefined,
  ) {}

  /** Makes prefixes as wide as the longest service name, as compose does. */
  align(names: readonly string[]): void {
    this.width = Math.max(this.width, ...names.map((n) => n.length));
  }

  /** A sink for one service's output chunks (stdout and stderr alike). */
  sink(name: string): (chunk: Buffer) => void {
    const file = createWriteStream(join(this.dir, `${name}.log`), { flags: 'a' });
    this.files.push(file);
    const color = colors[this.colorIndex++ % colors.length]!;
    let partial = '';
    return (chunk) => {
      file.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.lines.emit(name, line);
      if (!this.terminal) return;
      const prefix = `${name.padEnd(this.width)} | `;
      const shown = useColor(this.terminal) ? styleText(color, prefix) : prefix;
      for (const line of lines) this.terminal.write(shown + line + '\n');
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.files.map((f) => new Promise<void>((resolve) => f.end(resolve))));
  }
}

/**
 * Follows a file as it grows (like tail -f), polling: used for nginx's access log, which nginx
 * opens by path (/dev/stdout), something a socket cannot be reopened as.
 */
export function followFile(path: string, onChunk: (chunk: Buffer) => void, intervalMs = 100): { stop(): Promise<void> } {
  let offset = 0;
  let stopped = false;
  const readNew = async () => {
    const { open } = await import('node:fs/promises');
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        onChunk(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  };
  let pending = Promise.resolve();
  const timer = setInterval(() => {
    if (!stopped) pending = pending.then(readNew);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await pending;
      await readNew();
    },
  };
}
