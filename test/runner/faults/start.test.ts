import { describe, expect, it } from 'vitest';
import { kill } from '../../../runner/faults/kill.ts';
import { start } from '../../../runner/faults/start.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the start fault', () => {
  it('brings a killed service back and resolves once it answers', async () => {
    const { running, answers } = await oneRedisService();
    await kill(running, 'redis');
    await start(running, 'redis');
    await expect(answers()).resolves.toBeUndefined();
  });
});
