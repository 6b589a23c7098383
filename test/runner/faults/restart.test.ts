import { describe, expect, it } from 'vitest';
import { restart } from '../../../runner/faults/restart.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the restart fault', () => {
  it('replaces the process with a new one that answers', async () => {
    const { running, server, answers } = await oneRedisService();
    const before = server.pid;
    await restart(running, 'redis');
    await answers();
    expect(server.pid).not.toBe(before);
  });
});
