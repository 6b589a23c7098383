// What the cookie strategy sends on the wire as the cart grows: the Set-Cookie of an answer and
// the Cookie header of the next request, with the longest skus and quantities the shop accepts.
import { maxCartLines } from '../app/contract.ts';
import { Device } from '../runner/http-client.ts';

export interface CookieSizeResult {
  lines: number;
  setCookieBytes: number;
  cookieHeaderBytes: number;
}

const measuredAt = new Set([0, 1, 5, 10, 25, 40, maxCartLines]);

export async function measureCookieSize(nodeUrl: string): Promise<CookieSizeResult[]> {
  const device = new Device('cookie-size', nodeUrl);
  const results: CookieSizeResult[] = [];
  try {
    for (let lines = 0; lines <= maxCartLines; lines++) {
      const answer = lines === 0 ? await device.get('/cart') : await device.post('/cart/items', { sku: `l${String(lines).padStart(3, '0')}-${'x'.repeat(27)}`, qty: 999 });
      if (answer.status !== 200) throw new Error(`adding line ${lines} answered ${answer.status}: ${answer.text}`);
      if (!measuredAt.has(lines)) continue;
      const setCookie = [answer.headers['set-cookie'] ?? []].flat().find((line) => line.startsWith('lab_sid='));
      results.push({ lines, setCookieBytes: setCookie?.length ?? 0, cookieHeaderBytes: device.cookieHeader?.length ?? 0 });
    }
  } finally {
    await device.close();
  }
  return results;
}
