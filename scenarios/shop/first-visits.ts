// Many first visits at once: each from a fresh client that adds one item, so every request
// creates a session. Thousands of requests are one op with counts, not thousands of ops.
import { sessionCookieName } from '../../app/contract.ts';
import type { Lab } from '../../runner/lab.ts';
import { shopActions, type ShopOp } from './actions.ts';

export interface FirstVisits {
  op: ShopOp;
  /** The session cookies of the first `keep` visits, to come back with later. */
  cookies: string[];
}

export async function firstVisits(lab: Lab, count: number, concurrency: number, keep = 0): Promise<FirstVisits> {
  const startedMs = lab.history.now();
  const cookies: string[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async (n: number) => {
    const client = lab.client(`visitor-${n}`);
    while (next < count) {
      const i = next++;
      client.setCookie(sessionCookieName, undefined);
      const answer = await client.post('/cart/items', { sku: 'apple', qty: 1 }).catch(() => undefined);
      if (answer?.status === 200) ok++;
      else failed++;
      if (i < keep && answer) cookies.push(client.cookie(sessionCookieName) ?? '');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
  const op = lab.record<ShopOp>({
    process: 'visitors',
    action: shopActions.firstVisits,
    args: { count, concurrency },
    type: failed === 0 ? 'ok' : 'info',
    startedMs,
    endedMs: lab.history.now(),
    request: `${count} first visits (POST /cart/items), ${concurrency} at a time`,
    seen: `${ok} ok, ${failed} failed`,
    value: { ok, failed },
  });
  return { op, cookies };
}
