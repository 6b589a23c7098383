// Real Redis and PostgreSQL servers for tests, on free ports, removed afterwards.
import { join } from 'node:path';
import { PostgresServer } from '../../runner/servers/postgres.ts';
import { RedisServer } from '../../runner/servers/redis.ts';
import { freePort } from '../../runner/free-port.ts';
import { makeTempDir } from '../../runner/temp-dir.ts';

export interface TestService<T> {
  server: T;
  url: string;
  close(): Promise<void>;
}

export async function startTestRedis(): Promise<TestService<RedisServer>> {
  const dir = await makeTempDir('redis');
  const server = new RedisServer({ port: await freePort(), dir: dir.path });
  await server.start();
  return {
    server,
    url: server.url,
    close: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}

export async function startTestPostgres(): Promise<TestService<PostgresServer>> {
  const dir = await makeTempDir('postgres');
  const server = new PostgresServer({ port: await freePort(), dataDir: join(dir.path, 'data') });
  await server.start();
  return {
    server,
    url: server.url,
    close: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}
