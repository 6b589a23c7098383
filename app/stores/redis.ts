import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { Redis, type Cluster } from 'ioredis';
import { redactUrl, type Config } from '../config.ts';
import { describeError, type Log } from '../log.ts';
import { readSessionAndCart, redisCarts } from '../carts/redis.ts';
import { storeLength } from './store-callback.ts';
import type { OpenedStore } from './opened-store.ts';
import { replicatedBy, sessionWritesReplicated } from './redis-wait.ts';
import { redisTouchRecordsExpiry } from './touch-records-expiry.ts';
import { countShards, openRedisCluster } from './redis-cluster.ts';
import { failFastRedisOptions, redisRetryMs } from './redis-options.ts';
import { redisSessionPrefix, type ShardCount } from '../contract.ts';

const hostPorts = (nodes: readonly { host: string; port: number }[]) => nodes.map((s) => `${s.host}:${s.port}`).join(',');

/** Where the node finds Redis, for logs: the URL, the sentinels and the primary's name, or the cluster's seed nodes. */
export function redisTarget(config: Readonly<Config>): string {
  if (config.redisClusterNodes) return `the cluster of ${hostPorts(config.redisClusterNodes)}`;
  if (!config.redisSentinels) return redactUrl(config.redisUrl!);
  return `the primary "${config.redisMasterName}" of sentinels ${hostPorts(config.redisSentinels)}`;
}

// connect-redis on ioredis, with the fail-fast options of redis-options.ts. Through Sentinel,
// ioredis asks the sentinels for the current primary on every (re)connection and drops its
// connection when they announce another one (failoverDetector), so a node follows a failover by
// itself; a cluster client follows a promotion the same way (redis-cluster.ts).
function redisClient(config: Readonly<Config>): Redis | Cluster {
  if (config.redisClusterNodes) return openRedisCluster(config.redisClusterNodes);
  if (config.redisSentinels) {
    return new Redis({ ...failFastRedisOptions, sentinels: config.redisSentinels, name: config.redisMasterName!, failoverDetector: true, sentinelRetryStrategy: redisRetryMs });
  }
  return new Redis(config.redisUrl!, failFastRedisOptions);
}

/** A cluster's sessions: every shard's count, or an error naming the shards that did not answer. */
function totalOf(shards: readonly ShardCount[]): number {
  const silent = shards.filter((s) => s.sessions === null);
  if (silent.length > 0) throw new Error(`shards without an answer: ${silent.map((s) => `${s.primary} (${s.error})`).join(', ')}`);
  return shards.reduce((sum, s) => sum + s.sessions!, 0);
}

export async function openRedisStore(config: Readonly<Config>, log: Log): Promise<OpenedStore> {
  const target = redisTarget(config);
  const client = redisClient(config);
  // Until the first connection succeeds, openStore reports the failures; after it, one line per outage.
  let opened = false;
  let reachable = true;
  let lastError: unknown;
  client.on('error', (err) => {
    lastError = err;
    if (opened && reachable) log(`redis at ${target} unreachable: ${describeError(err)}`);
    reachable = false;
  });
  client.on('ready', () => {
    if (opened && !reachable) log(`redis at ${target} reachable again`);
    reachable = true;
  });
  try {
    await client.connect();
    opened = true;
  } catch (err) {
    client.disconnect();
    // connect() only says "Connection is closed."; the error event said why.
    throw lastError ?? err;
  }
  const cluster = config.redisClusterNodes ? (client as Cluster) : undefined;
  const replicated = replicatedBy(client, config);
  const prefix = redisSessionPrefix;
  // connect-redis keeps a session as long as its cookie (ttl only when the cookie has no expiry),
  // unless SESSION_STORE_TTL_SECONDS fixes the store's own, whatever the cookie says.
  const storeTtlSeconds = config.sessionStoreTtlSeconds;
  const store = new RedisStore({ client, prefix, ttl: storeTtlSeconds !== undefined ? () => storeTtlSeconds : config.sessionTtlSeconds });
  redisTouchRecordsExpiry(store, client, (sid) => prefix + sid, config.sessionTtlSeconds, storeTtlSeconds);
  if (config.redisWaitReplicas > 0) sessionWritesReplicated(store, replicated);
  return {
    kind: 'redis',
    store,
    carts: redisCarts(client, storeTtlSeconds ?? config.sessionTtlSeconds, replicated),
    readSessionAndCart: readSessionAndCart(client, (sid) => prefix + sid, (value) => store.serializer.parse(value) as SessionData),
    target,
    countSessions: cluster ? () => countShards(cluster, prefix).then(totalOf) : () => storeLength(store),
    ...(cluster ? { countShards: () => countShards(cluster, prefix) } : {}),
    // A cluster answers when every primary does: a PING through the cluster client goes to one node at random.
    ping: async () => {
      await (cluster ? Promise.all(cluster.nodes('master').map((node) => node.ping())) : client.ping());
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
