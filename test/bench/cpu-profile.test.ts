// The profile's reading of V8 CPU profiles, on hand-written ones (parts, windows, idle time), and
// one real run of `npm run bench:profile` on the memory store.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { partOf, timeByPart, type CpuProfile } from '../../bench/cpu-profile.ts';
import { projectRoot } from '../../runner/topology.ts';
import { testTempDir } from '../support/test-temp-dir.ts';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('partOf', () => {
  it('names a function by its npm package, Node module, own code or what V8 calls it', () => {
    expect(partOf(frame('session', 'file:///x/node_modules/express-session/index.js'))).toBe('express-session');
    expect(partOf(frame('f', 'file:///x/node_modules/@scope/pkg/lib/a.js'))).toBe('@scope/pkg');
    // A package inside another's node_modules is itself.
    expect(partOf(frame('f', 'file:///x/node_modules/a/node_modules/b/i.js'))).toBe('a');
    expect(partOf(frame('writeHead', 'node:_http_server'))).toBe('node:http');
    expect(partOf(frame('_storeHeader', 'node:_http_outgoing'))).toBe('node:http');
    expect(partOf(frame('writevGeneric', 'node:internal/stream_base_commons'))).toBe('node:net');
    expect(partOf(frame('Hash', 'node:internal/crypto/hash'))).toBe('node:crypto');
    expect(partOf(frame('emit', 'node:events'))).toBe('node:events');
    expect(partOf(frame('writev'))).toBe('native writev');
    expect(partOf(frame('(garbage collector)'))).toBe('garbage collector');
    expect(partOf(frame('(program)'))).toBe('V8 itself (program)');
    expect(partOf(frame('requestLog', 'file:///x/.lab/build/abc/app/server.mjs'))).toBe('own code');
    expect(partOf(frame('(idle)'))).toBeUndefined();
    expect(partOf(frame('(root)'))).toBeUndefined();
  });
});

describe('timeByPart', () => {
  // Nodes: 1 root, 2 idle, 3 express-session, 4 own code, 5 GC.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('session', 'file:///p/node_modules/express-session/index.js') },
      { id: 4, callFrame: frame('handler', 'file:///p/app/server.mjs') },
      { id: 5, callFrame: frame('(garbage collector)') },
    ],
    startTime: 1_000,
    // Samples at 1,010 1,020 1,050 1,060 1,100 1,130; the profile ends at 1,150.
    samples: [3, 4, 2, 3, 5, 4],
    timeDeltas: [10, 10, 30, 10, 40, 30],
    endTime: 1_150,
  };

  it('gives each sample the time until the next one, leaving idle time out', () => {
    const all = timeByPart(profile, [{ startMicros: 0, endMicros: 10_000 }]);
    expect(Object.fromEntries(all)).toEqual({ 'express-session': 10 + 40, 'own code': 30 + 20, 'garbage collector': 30 });
  });

  it('counts only samples taken inside a window', () => {
    const some = timeByPart(profile, [
      { startMicros: 1_000, endMicros: 1_015 },
      { startMicros: 1_100, endMicros: 1_200 },
    ]);
    expect(Object.fromEntries(some)).toEqual({ 'express-session': 10, 'garbage collector': 30, 'own code': 20 });
    expect(timeByPart(profile, []).size).toBe(0);
  });
});

describe('npm run bench:profile', () => {
  it('profiles the node and the peer under the same load and prints their CPU per request by part', { timeout: 120_000 }, async () => {
    const out = await testTempDir('profile');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/profile.ts', '--runs', '2', '--seconds', '0.5', '--out', out], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 110_000,
    });
    expect(stdout).toMatch(/node against peer, median of the pairs: \d+\.\d\d×/);
    const row = (part: string) => {
      const match = new RegExp(`^${part.replace(/[()]/g, '\\$&')}\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)$`, 'm').exec(stdout);
      expect(match, `a row for ${part} in:\n${stdout}`).not.toBeNull();
      return match!.slice(1, 3).map(Number);
    };
    // Both run express-session and answer over HTTP; only the node has code of its own worth a row.
    for (const part of ['express-session', 'node:http', 'total']) for (const micros of row(part)) expect(micros, part).toBeGreaterThan(0);
    const [nodeTotal] = row('total');
    expect(nodeTotal).toBeLessThan(100_000);
    const [run] = await readdir(out);
    for (const side of ['node', 'peer']) expect((await readdir(join(out, run!, side))).some((n) => n.endsWith('.cpuprofile'))).toBe(true);
  });
});
