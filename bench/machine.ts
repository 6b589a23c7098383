import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { findBinary } from '../runner/binaries.ts';

/** The first line a binary prints about its version (nginx prints it on stderr). */
function versionOf(binary: string, flag: string): string {
  const run = spawnSync(findBinary(binary), [flag], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.trim().split('\n')[0] ?? 'unknown';
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  nginx: string;
  redis: string;
  postgres: string;
}

export function describeMachine(): Machine {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    nginx: versionOf('nginx', '-v').replace(/^nginx version: /, ''),
    redis: versionOf('redis-server', '--version'),
    postgres: versionOf('postgres', '--version'),
  };
}
