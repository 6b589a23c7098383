import { describe, expect, it } from 'vitest';
import { heal } from '../../../runner/faults/heal.ts';
import { isolate } from '../../../runner/faults/isolate.ts';
import { partition } from '../../../runner/faults/partition.ts';
import { namespacedRedisServices, networkTestsSkipped } from '../../support/namespaced-services.ts';

describe.skipIf(networkTestsSkipped)('the heal fault', () => {
  it('ends every partition and isolation at once', async () => {
    const { running, reaches } = await namespacedRedisServices();
    await partition(running, 'a | b');
    await isolate(running, 'c');
    await heal(running);
    expect(await Promise.all([reaches('a', 'b'), reaches('b', 'a'), reaches('a', 'c'), reaches('c', 'b')])).toEqual([true, true, true, true]);
  });
});
