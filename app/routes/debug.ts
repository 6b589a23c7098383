import type { IRouter, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import type { OpenedStore } from '../stores/index.ts';
import { storeLength } from '../stores/store-callback.ts';

/**
 * GET /debug/memory: the node's heap and resident memory, and how many sessions it holds in its
 * heap (memory store only), after a full garbage collection when the node runs with --expose-gc
 * (the lab runner starts nodes so). Like /healthz it never creates a session.
 */
export function debugRoutes(router: IRouter, config: Readonly<Config>, opened: OpenedStore, probeSession: RequestHandler): void {
  router.get('/debug/memory', probeSession, (_req, res) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const usage = process.memoryUsage();
    res.json({
      node: config.nodeName,
      store: opened.kind,
      collected: gc !== undefined,
      heapUsedBytes: usage.heapUsed,
      rssBytes: usage.rss,
      sessionsHeld: opened.sessionsHeld?.() ?? null,
    });
  });
  /**
   * GET /debug/sessions: how many live sessions this node's store holds now, as the store counts
   * them (null for the cookie store, which holds none); the lab console shows it per store. On a
   * Redis Cluster it answers even while a shard is down: `shards` lists each one's slots and count
   * (null and an error for one that did not answer), `sessions` is their sum only when every shard
   * answered, and `storeLength` is what connect-redis's own length() says (one SCAN, which the
   * cluster client sends to one node picked at random).
   */
  router.get('/debug/sessions', probeSession, async (_req, res, next) => {
    const base = { node: config.nodeName, store: opened.kind, target: opened.target };
    try {
      if (opened.countShards && opened.store) {
        const [shards, length] = await Promise.all([opened.countShards(), storeLength(opened.store).catch(() => null)]);
        const sessions = shards.every((s) => s.sessions !== null) ? shards.reduce((sum, s) => sum + s.sessions!, 0) : null;
        res.json({ ...base, sessions, shards, storeLength: length });
        return;
      }
      const sessions = opened.countSessions ? await opened.countSessions() : null;
      res.json({ ...base, sessions });
    } catch (err) {
      next(HttpError.storeUnavailable(err));
    }
  });
}
