// How the compose backend runs docker: one-shot commands and followed ones (logs -f). The
// backend takes this as a parameter so that a test can record what it would run.
import { spawn } from 'node:child_process';
import { spawnManaged } from '../processes.ts';

export interface RunOptions {
  /** Aborting it stops the command (its whole process group); run then rejects once it has exited. */
  signal?: AbortSignal;
}

export interface CommandRunner {
  /** Runs to completion and resolves with stdout; rejects with stderr on a non-zero exit. */
  run(command: string, args: string[], options?: RunOptions): Promise<string>;
  /** Starts a command that runs until stopped, passing on its output. */
  follow(command: string, args: string[], onChunk: (chunk: Buffer) => void): { stop(): Promise<void> };
}

export const dockerCommands: CommandRunner = {
  run: (command, args, options = {}) =>
    new Promise((resolve, reject) => {
      // A process group of its own: Ctrl-C in the terminal reaches the lab only, which then
      // stops this command itself and tears down in order (abort, then `down`).
      const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const abort = () => {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // Already gone.
        }
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      child.once('error', (err) => reject(new Error(`${command} ${args.join(' ')}: ${err.message}`)));
      child.once('close', (code, signal) => {
        options.signal?.removeEventListener('abort', abort);
        const text = Buffer.concat(stderr).toString().trim();
        if (code === 0) resolve(Buffer.concat(stdout).toString());
        else reject(new Error(`${command} ${args.join(' ')}: ${text || (signal ? `stopped by ${signal}` : `exit code ${code}`)}`));
      });
    }),
  follow: (command, args, onChunk) => {
    const managed = spawnManaged('compose logs', command, args, { output: onChunk });
    return { stop: () => managed.stop() };
  },
};
