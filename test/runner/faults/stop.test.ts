import { describe, expect, it } from 'vitest';
import { stop } from '../../../runner/faults/stop.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the stop fault', () => {
  it('stops the service gracefully and leaves it down', async () => {
    const { running, server, answers } = await oneRedisService();
    await stop(running, 'redis');
    expect(server.running).toBe(false);
    await expect(answers()).rejects.toThrow(/ECONNREFUSED/);
  });
});
