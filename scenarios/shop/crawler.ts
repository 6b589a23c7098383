// A crawler reading product pages the shop caches: every page a new one, so each read misses the
// cache and stores a page (the cache churns as fast as the shop answers). Without a cookie: product
// pages are public and make no session. Thousands of requests are one op per second of crawling,
// with counts, so a report shows the churn beside the users' requests.
import type { Lab } from '../../runner/lab.ts';
import { shopActions, type ShopOp } from './actions.ts';

export interface CrawlPlan {
  /** Requests in flight at once. */
  concurrency: number;
  /** Crawling stops at this time (performance.now()). */
  until: () => boolean;
}

const batchMs = 1000;

export async function crawl(lab: Lab, plan: CrawlPlan): Promise<void> {
  let page = 0;
  let batch = { startedMs: lab.history.now(), ok: 0, failed: 0, first: 0 };
  const recordBatch = () => {
    const { startedMs, ok, failed, first } = batch;
    if (ok + failed === 0) return;
    lab.record<ShopOp>({
      process: 'crawler',
      action: shopActions.crawl,
      args: { pages: ok + failed },
      type: failed === 0 ? 'ok' : 'info',
      startedMs,
      endedMs: lab.history.now(),
      request: `GET /products/p-${first}…p-${first + ok + failed - 1}`,
      seen: `${ok} pages, ${failed} failed`,
      value: { ok, failed },
    });
    batch = { startedMs: lab.history.now(), ok: 0, failed: 0, first: page };
  };
  const worker = async (n: number) => {
    const client = lab.client(`crawler-${n}`);
    while (!plan.until()) {
      const answer = await client.get(`/products/p-${page++}`).catch(() => undefined);
      if (answer?.status === 200) batch.ok++;
      else batch.failed++;
      if (lab.history.now() - batch.startedMs >= batchMs) recordBatch();
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, (_, n) => worker(n)));
  recordBatch();
}
