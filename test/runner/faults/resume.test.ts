import { describe, expect, it } from 'vitest';
import { pause } from '../../../runner/faults/pause.ts';
import { resume } from '../../../runner/faults/resume.ts';
import { oneRedisService } from '../../support/one-service.ts';

describe('the resume fault', () => {
  it('lets a paused service answer again', async () => {
    const { running, answers } = await oneRedisService();
    await pause(running, 'redis');
    await resume(running, 'redis');
    await expect(answers(1000)).resolves.toBeUndefined();
  });
});
