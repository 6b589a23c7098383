// One Redis and one PostgreSQL for the whole run, unless REDIS_URL / DATABASE_URL point at
// servers already running. Tests that stop a server start their own instead.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startTestPostgres, startTestRedis } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, postgres] = await Promise.all([
    process.env.REDIS_URL ? undefined : startTestRedis(),
    process.env.DATABASE_URL ? undefined : startTestPostgres(),
  ]);
  project.provide('redisUrl', process.env.REDIS_URL ?? redis!.url);
  project.provide('databaseUrl', process.env.DATABASE_URL ?? postgres!.url);
  return async () => {
    await Promise.all([redis?.close(), postgres?.close()]);
  };
}
