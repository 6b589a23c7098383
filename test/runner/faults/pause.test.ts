import { describe, expect, it } from 'vitest';
import { pause } from '../../../runner/faults/pause.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the pause fault', () => {
  it('leaves the port open but nothing answers: a client times out instead of being refused', async () => {
    const { running, answers } = await oneRedisService();
    await pause(running, 'redis');
    await expect(answers(300)).rejects.toThrow('PING timed out');
  });
});
