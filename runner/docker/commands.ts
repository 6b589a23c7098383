// How the compose backend runs docker: one-shot commands and followed ones (logs -f). The
// backend takes this as a parameter so that a test can record what it would run.
import { execFile } from 'node:child_process';
import { spawnManaged } from '../processes.ts';

export interface CommandRunner {
  /** Runs to completion and resolves with stdout; rejects with stderr on a non-zero exit. */
  run(command: string, args: string[]): Promise<string>;
  /** Starts a command that runs until stopped, passing on its output. */
  follow(command: string, args: string[], onChunk: (chunk: Buffer) => void): { stop(): Promise<void> };
}

export const dockerCommands: CommandRunner = {
  run: (command, args) =>
    new Promise((resolve, reject) => {
      execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    }),
  follow: (command, args, onChunk) => {
    const managed = spawnManaged('compose logs', command, args, { output: onChunk });
    return { stop: () => managed.stop() };
  },
};
