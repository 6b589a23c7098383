import type { IRouter } from 'express';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import type { ProductCache } from '../product-cache.ts';
import { parseSku } from './cart.ts';

/** A rendered product page weighs 1 to 33 KB, by its sku, as real ones with their markup do. */
export const productPageBytes = { min: 1024, max: 33 * 1024 };

/**
 * The same size for the same sku on every node. Sizes must vary: a Redis at maxmemory under
 * noeviction refuses a write while the write's own bytes in its buffer push it over, so pages of
 * one size would leave a gap below the limit that small writes (sessions, carts) still fit in.
 */
export function productPageSize(sku: string): number {
  let hash = 0;
  for (const char of sku) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return productPageBytes.min + (hash % (productPageBytes.max - productPageBytes.min));
}

function renderProductPage(sku: string): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${sku}</title></head><body><h1>${sku}</h1>`;
  const paragraph = `<p>${sku}: what it is, what it is made of, how to keep it, what others thought of it.</p>`;
  const tail = '</body></html>';
  const body = paragraph.repeat(Math.ceil(productPageSize(sku) / paragraph.length)).slice(0, Math.max(0, productPageSize(sku) - head.length - tail.length));
  return head + body + tail;
}

/**
 * GET /products/:sku: a public page, cached when CACHE_URL is set. It comes before the session
 * middleware: a page every visitor sees the same needs no session, and makes none.
 */
export function productRoutes(router: IRouter, config: Readonly<Config>, cache: ProductCache | undefined): void {
  router.get('/products/:sku', async (req, res) => {
    const sku = parseSku(req.params.sku);
    let page = await cache?.get(`product:${sku}`);
    res.set('X-Cache', page === undefined ? 'miss' : 'hit');
    if (page === undefined) {
      page = renderProductPage(sku);
      await cache?.set(`product:${sku}`, page);
    }
    res.type('html').send(page);
  });

  /** GET /debug/cache: the cache's Redis as it counts its memory and evictions (null without a cache). */
  router.get('/debug/cache', async (_req, res) => {
    if (!cache) {
      res.json({ node: config.nodeName, cache: null });
      return;
    }
    try {
      res.json({ node: config.nodeName, cache: await cache.stats() });
    } catch (err) {
      throw HttpError.storeUnavailable(err, 'the page cache is not answering');
    }
  });
}
