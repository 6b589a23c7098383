import { createServer } from 'node:net';

/**
 * Every port this process handed out: a service that restarts leaves its port free for a moment,
 * and a topology started ahead of the next scenario must not be given it then (its nginx took a
 * restarting node's port once, and the node could not listen again).
 */
const handedOut = new Set<number>();

function portFreeNow(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago, and never handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = await portFreeNow();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port on 127.0.0.1 that this process has not handed out already (${handedOut.size} handed out)`);
}
