// The second line behind the kernel's: the next lab command ends what a killed runner's record
// lists, and only that: a pid now held by an unrelated process (another start time) is left alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTicks, thisRunner } from '../../runner/run-owner.ts';
import { reapDeadRunners } from '../../runner/runner-record.ts';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** A process group of its own, as the lab starts a service. */
function sleeper(): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  started.push(child.pid!);
  return child.pid!;
}

async function gone(pid: number): Promise<boolean> {
  for (const deadline = Date.now() + 2000; Date.now() < deadline; await sleep(20)) {
    if (processStartTicks(pid) === undefined) return true;
    // A killed child of this process stays a zombie until reaped: dead all the same.
    if (/\) Z /.test(readStat(pid))) return true;
  }
  return false;
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

// pid 2^22 + 1 is above Linux's pid_max: no process has it, so its runner is gone.
const deadRunner = '4194305-12345.json';

describe('reaping what killed runners left', () => {
  it("kills a dead runner's recorded process whose start time matches, and removes the record", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-runners-'));
    const pid = sleeper();
    writeFileSync(join(dir, deadRunner), JSON.stringify([{ name: 'nginx', pid, startTicks: processStartTicks(pid) }]));
    expect(reapDeadRunners(dir)).toEqual(['nginx']);
    expect(await gone(pid)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never kills a process that got a recorded pid later (another start time)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-runners-'));
    const pid = sleeper();
    writeFileSync(join(dir, deadRunner), JSON.stringify([{ name: 'redis', pid, startTicks: processStartTicks(pid)! - 1 }]));
    expect(reapDeadRunners(dir)).toEqual([]);
    expect(await gone(pid)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("leaves a live runner's record and processes alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-runners-'));
    const pid = sleeper();
    const record = `${thisRunner.pid}-${thisRunner.startTicks}-${thisRunner.pidNamespace}.json`;
    writeFileSync(join(dir, record), JSON.stringify([{ name: 'postgres', pid, startTicks: processStartTicks(pid) }]));
    expect(reapDeadRunners(dir)).toEqual([]);
    expect(await gone(pid)).toBe(false);
    expect(readdirSync(dir)).toEqual([record]);
  });

  it('never judges a runner of another PID namespace gone (its pid means nothing here)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-runners-'));
    const pid = sleeper();
    const foreign = `4194305-12345-${(thisRunner.pidNamespace ?? 0) + 1}.json`;
    writeFileSync(join(dir, foreign), JSON.stringify([{ name: 'nginx', pid, startTicks: processStartTicks(pid) }]));
    expect(reapDeadRunners(dir)).toEqual([]);
    expect(await gone(pid)).toBe(false);
    expect(readdirSync(dir)).toEqual([foreign]);
  });
});
