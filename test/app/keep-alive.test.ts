// The node keeps an idle keep-alive connection for KEEP_ALIVE_TIMEOUT_SECONDS, so that nginx
// (30 s) always gives an idle upstream connection up first.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startTestNode } from '../support/test-node.ts';

/** Sends one keep-alive request on a raw socket and resolves once the answer has arrived. */
async function idleConnection(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  let closed = false;
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: node\r\nConnection: keep-alive\r\n\r\n');
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return { socket, closed: () => closed };
}

describe('idle keep-alive connections', () => {
  it('are closed by the node after KEEP_ALIVE_TIMEOUT_SECONDS', async () => {
    const node = await startTestNode({ KEEP_ALIVE_TIMEOUT_SECONDS: '1' });
    const { socket, closed } = await idleConnection(node.port);
    // Node gives a keep-alive connection about a second beyond the timeout: allow for that and some load.
    await sleep(3500);
    const wasClosed = closed();
    socket.destroy();
    expect(wasClosed).toBe(true);
  });

  it('stay open until then, past the point a shorter timeout would close them', async () => {
    const node = await startTestNode({ KEEP_ALIVE_TIMEOUT_SECONDS: '3' });
    const { socket, closed } = await idleConnection(node.port);
    await sleep(1600);
    const open = !closed();
    socket.destroy();
    expect(open).toBe(true);
  });
});
