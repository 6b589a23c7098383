import { readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * Live processes working inside dir. The lab runs every service with its working directory in
 * the run's directory, which (unlike the environment or the title) no process rewrites.
 */
export function survivors(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== dir && !cwd.startsWith(dir + sep)) continue;
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (state === 'Z') continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The subnets (under /run/session-lab/net/) that a process still claims for its runs' namespaces. */
export function namespacesClaimedBy(pid: number): string[] {
  const dir = '/run/session-lab/net';
  let claims: string[];
  try {
    claims = readdirSync(dir);
  } catch {
    return [];
  }
  return claims.filter((n) => {
    try {
      return Number(readFileSync(`${dir}/${n}`, 'utf8').trim()) === pid;
    } catch {
      return false;
    }
  });
}
