import { describe, expect, it } from 'vitest';
import { kill } from '../../../runner/faults/kill.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the kill fault', () => {
  it('kills the service with SIGKILL and leaves it down', async () => {
    const { running, server, answers } = await oneRedisService();
    await kill(running, 'redis');
    expect(server.running).toBe(false);
    await expect(answers()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('names what the backend cannot do when it has no kill', async () => {
    const { running } = await oneRedisService();
    const withoutKill = { ...running, service: () => ({ start: async () => {}, stop: async () => {} }) };
    await expect(kill(withoutKill, 'redis')).rejects.toThrow('this backend cannot kill redis');
  });
});
