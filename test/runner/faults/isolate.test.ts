import { describe, expect, it } from 'vitest';
import { isolate } from '../../../runner/faults/isolate.ts';
import { pingRedis } from '../../../runner/servers/redis.ts';
import { namespacedRedisServices, networkTestsSkipped } from '../../support/namespaced-services.ts';

describe.skipIf(networkTestsSkipped)('the isolate fault', () => {
  it('cuts one service from every other one, while the others still reach each other and the host reaches it', async () => {
    const { running, reaches, namespaces } = await namespacedRedisServices();
    await isolate(running, 'a');
    expect(await Promise.all([reaches('a', 'b'), reaches('c', 'a'), reaches('b', 'c')])).toEqual([false, false, true]);
    // The host is no service: the lab still reaches the isolated one (its probes, its readiness).
    await expect(pingRedis(6379, 300, namespaces.addresses.get('a'))).resolves.toBeUndefined();
  });
});
