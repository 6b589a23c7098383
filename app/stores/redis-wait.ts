// REDIS_WAIT_REPLICAS: a write to Redis answered only once that many replicas have it. Redis
// replicates asynchronously, so a primary that dies can take its last acknowledged writes with
// it; WAIT after each write makes the acknowledgement mean "also on a replica", at the price of
// one more round trip and the replica's lag. A write the replicas do not confirm in time is a 503:
// it may or may not survive a failover, so it is not acknowledged.
import type { Store } from 'express-session';
import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { HttpError } from '../errors.ts';
import { thenRun, type StoreCallback } from './store-callback.ts';

export type Replicated = () => Promise<void>;

export function replicatedBy(client: Redis | Cluster, config: Readonly<Config>): Replicated {
  const replicas = config.redisWaitReplicas;
  if (replicas === 0) return async () => {};
  return async () => {
    let confirmed: number;
    try {
      confirmed = await client.wait(replicas, config.redisWaitTimeoutMs);
    } catch (err) {
      throw HttpError.storeUnavailable(err);
    }
    if (confirmed < replicas) {
      throw HttpError.storeUnavailable(new Error(`${confirmed} of ${replicas} replicas confirmed the write within ${config.redisWaitTimeoutMs} ms`));
    }
  };
}

/** The session store's writes (set, touch) wait for the replicas too. */
export function sessionWritesReplicated(store: Store, replicated: Replicated): void {
  const after = (callback: StoreCallback) => thenRun(replicated, callback);
  const { set } = store;
  store.set = (sid, session, callback) => set.call(store, sid, session, after(callback));
  if (store.touch) {
    const touch = store.touch;
    store.touch = (sid, session, callback) => touch.call(store, sid, session, after(callback));
  }
}
