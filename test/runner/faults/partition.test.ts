import { describe, expect, it } from 'vitest';
import { partition } from '../../../runner/faults/partition.ts';
import { namespacedRedisServices, networkTestsSkipped } from '../../support/namespaced-services.ts';

describe.skipIf(networkTestsSkipped)('the partition fault', () => {
  it('drops packets between the two groups without an answer, both ways; the rest still reach everyone', async () => {
    const { running, reaches } = await namespacedRedisServices();
    await partition(running, 'a | b');
    expect(await reaches('a', 'b')).toBe(false);
    expect(await reaches('b', 'a')).toBe(false);
    expect(await reaches('a', 'c')).toBe(true);
    expect(await reaches('c', 'b')).toBe(true);
  });

  it('refuses a group with an unknown service, naming it, and changes nothing', async () => {
    const { running, reaches } = await namespacedRedisServices();
    await expect(partition(running, 'a | nope')).rejects.toThrow('no service "nope" to partition; the topology has a, b, c');
    expect(await reaches('a', 'b')).toBe(true);
  });
});
