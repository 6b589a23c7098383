import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { RunningTopology } from '../../runner/backend.ts';
import { History } from '../../runner/history.ts';
import { classify, Lab } from '../../runner/lab.ts';

describe('classify', () => {
  it.each([
    [true, 200, 'ok'],
    [true, 303, 'ok'],
    [true, 400, 'fail'],
    [true, 503, 'info'],
    [true, 502, 'info'],
    [true, undefined, 'info'],
    [false, 503, 'fail'],
    [false, undefined, 'fail'],
  ] as const)('counts a %s write answered %s as %s', (isWrite, status, type) => {
    expect(classify(isWrite, status)).toBe(type);
  });
});

describe('Lab.sendFollowingRedirect', () => {
  it('records the redirect as answered and a follow that got no answer as its own failure', async () => {
    // A 303 whose Location no one listens on (port 1 on loopback refuses at once).
    const server = createServer((_req, res) => {
      res.writeHead(303, { location: 'http://127.0.0.1:1/cart', 'content-length': '0' });
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const running = { balancerUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` } as RunningTopology;
    const lab = new Lab(running, new History());
    try {
      const [first, followed] = await lab.sendFollowingRedirect(lab.client('browser'), { action: 'add', method: 'POST', path: '/form', body: {} }, 'view');
      expect(first).toMatchObject({ action: 'add', type: 'ok', status: 303, bodyLagMs: expect.any(Number) });
      expect(followed).toMatchObject({ action: 'view', type: 'fail', request: 'GET http://127.0.0.1:1/cart', error: expect.stringMatching(/ECONNREFUSED/) });
      expect(followed!.index).toBe(first.index + 1);
    } finally {
      await lab.close();
      server.close();
    }
  });
});
