// A real redis-server wrapped as a running topology of one service, for the fault tests: a fault
// sees the same RunningTopology interface as in a scenario.
import { afterEach } from 'vitest';
import type { RunningTopology } from '../../runner/backend.ts';
import { freePort } from '../../runner/free-port.ts';
import { pingRedis, RedisServer } from '../../runner/servers/redis.ts';
import { makeTempDir } from '../../runner/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

export interface OneService {
  running: RunningTopology;
  server: RedisServer;
  /** Resolves when Redis answers a PING within timeoutMs, rejects when it does not. */
  answers(timeoutMs?: number): Promise<void>;
}

export async function oneRedisService(): Promise<OneService> {
  const dir = await makeTempDir('fault');
  const server = new RedisServer({ name: 'redis', port: await freePort(), dir: dir.path });
  await server.start();
  cleanups.push(async () => {
    await server.stop();
    await dir.remove();
  });
  const running: RunningTopology = {
    topology: { name: 'one-redis', file: 'none', services: [] },
    balancerUrl: 'http://127.0.0.1:1',
    runDir: dir.path,
    probe: () => Promise.reject(new Error('no app node')),
    service: (name) => {
      if (name !== 'redis') throw new Error(`no service ${name}`);
      return server;
    },
    down: () => server.stop(),
  };
  return { running, server, answers: (timeoutMs = 300) => pingRedis(server.port, timeoutMs) };
}
