// The benchmark's CPU accounting against real processes: who listens on a port, and the CPU a
// process and the processes below it spent, as /proc says.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listeners, perRequestMicros, readGroups } from '../../bench/process-cpu.ts';
import { spawnManaged, type ManagedProcess } from '../../runner/processes.ts';

const started: ManagedProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

/** Runs a shell command; one promise per word, resolved once the command has printed it. */
function shell(command: string, words: string[]): Promise<void>[] {
  let output = '';
  const waiting = words.map((word) => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { word, promise, resolve };
  });
  const managed = spawnManaged('sh', 'sh', ['-c', command], {
    output: (chunk) => {
      output += chunk.toString();
      for (const w of waiting) if (output.includes(w.word)) w.resolve();
    },
  });
  started.push(managed);
  return waiting.map((w) => w.promise);
}

/**
 * A node process that says ready, waits 300 ms, burns 400 ms of CPU, says burnt, then lingers
 * for `lingerMs`. A process that ends right after saying burnt may be reaped in the middle of a
 * reading of /proc (its parent read before, itself gone after), so the running one lingers.
 */
const burner = (lingerMs: number) =>
  `"${process.execPath}" -e "console.log('ready'); setTimeout(() => { const u = Date.now() + 400; while (Date.now() < u); console.log('burnt'); setTimeout(() => {}, ${lingerMs}); }, 300)"`;

describe('process CPU accounting', () => {
  it('finds the process listening on a port, and nobody on a closed one', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect(listeners(port)).toEqual([process.pid]);
    } finally {
      server.close();
    }
    await once(server, 'close');
    expect(listeners(port)).toEqual([]);
  });

  it('counts what a process spends', () => {
    const before = readGroups({ self: [process.pid] });
    const until = Date.now() + 300;
    while (Date.now() < until);
    const after = readGroups({ self: [process.pid] });
    expect(after.self! - before.self!).toBeGreaterThanOrEqual(0.25);
    expect(after.self! - before.self!).toBeLessThan(1);
  });

  it('counts the processes below a root: a running one, and one that has ended (in its parent)', { timeout: 20_000 }, async () => {
    // sh stays the parent of node in both (a trailing command keeps sh from exec-ing node).
    const [running, burnt] = shell(`${burner(60_000)}; sleep 60`, ['ready', 'burnt']);
    const [ended, reaped] = shell(`echo started; ${burner(0)} > /dev/null; echo reaped; sleep 60`, ['started', 'reaped']);
    await Promise.all([running, ended]);
    const roots = { running: [started[0]!.child.pid!], ended: [started[1]!.child.pid!] };
    const before = readGroups(roots);
    await Promise.all([burnt, reaped]);
    const after = readGroups(roots);
    expect(after.running! - before.running!).toBeGreaterThanOrEqual(0.3);
    expect(after.ended! - before.ended!).toBeGreaterThanOrEqual(0.3);
  });

  it('turns two readings into microseconds per request', () => {
    expect(perRequestMicros({ node: 1.5, store: 0.25 }, { node: 2.0, store: 0.5 }, 1000)).toEqual({ node: 500, store: 250 });
    expect(perRequestMicros({ node: 1 }, { node: 2 }, 0)).toEqual({ node: 0 });
  });
});
