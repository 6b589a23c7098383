// The concurrent-adds workload of lost-update and the atomic-cart scenarios: fresh devices (one
// cookie each) that send many adds at once, at rising concurrency, then bursts that press on the
// cart's two limits. Each device reads its cart before (to get its cookie, so that the burst
// shares one session) and after (what was kept).
import { maxCartLines, maxQtyPerLine } from '../../app/contract.ts';
import type { Lab } from '../../runner/lab.ts';
import { shopDevice } from './device.ts';

/** Concurrent requests per device, each level repeated on fresh devices. */
export const concurrencyLevels = [2, 6, 20] as const;
export const roundsPerLevel = 5;
/** Burst names of the two limit bursts. */
export const lineLimitBurst = 'line-limit';
export const qtyLimitBurst = 'qty-limit';
/** Adds of one sku in the qty-limit burst, and the quantity of each: together more than a line holds. */
export const qtyLimitAdds = 30;
export const qtyLimitEach = 40;

export function levelBurst(concurrency: number): string {
  return `at-once-${concurrency}`;
}

export async function concurrentAdds(lab: Lab): Promise<void> {
  const burst = async (device: string, name: string, adds: { sku: string; qty: number }[]) => {
    const browser = shopDevice(lab, device);
    await browser.viewCart();
    await browser.addAtOnce(adds, name);
    await browser.viewCart();
  };
  for (const concurrency of concurrencyLevels) {
    for (let round = 1; round <= roundsPerLevel; round++) {
      await burst(`x${concurrency}-${round}`, levelBurst(concurrency), Array.from({ length: concurrency }, (_, i) => ({ sku: `item-${i}`, qty: 1 })));
    }
  }
  await burst('lines', lineLimitBurst, Array.from({ length: maxCartLines + 10 }, (_, i) => ({ sku: `line-${i}`, qty: 1 })));
  if (qtyLimitAdds * qtyLimitEach <= maxQtyPerLine) throw new Error('the qty-limit burst must ask for more than a line holds');
  await burst('one-sku', qtyLimitBurst, Array.from({ length: qtyLimitAdds }, () => ({ sku: 'apple', qty: qtyLimitEach })));
}
