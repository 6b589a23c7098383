// Sessions in a Redis Cluster (REDIS_CLUSTER_NODES): ioredis's Cluster client learns from the seed
// nodes which primary serves which of the 16,384 slots and sends each key there; when a primary
// dies and the cluster promotes its replica, a command to it fails (connection refused, then
// CLUSTERDOWN or a MOVED), and the client refreshes its slot map and follows. Only the dead
// primary's slots fail meanwhile: the sessions on the other shards never notice.
//
// Counting is where a cluster differs for a session store: connect-redis's length() and all() run
// one SCAN, which a cluster client sends to a single node picked at random, so they see about a
// third of the sessions (ioredis #175, #1884). countShards scans every primary instead, and says
// which one did not answer.
import { Cluster, type Redis } from 'ioredis';
import type { ShardCount } from '../contract.ts';
import { describeError } from '../log.ts';
import { failFastRedisOptions, redisRetryMs } from './redis-options.ts';

export function openRedisCluster(nodes: readonly { host: string; port: number }[]): Cluster {
  return new Cluster([...nodes], {
    lazyConnect: true,
    // The same fail-fast stance as a single Redis: no queue while the cluster is not ready, a
    // command refused at once when its node is not connected, every command under the node's
    // deadline, and the slot map refreshed within a second. Each node's connection is the client's
    // own: opened on its first command (queued while it connects) and, once lost, not dialled again
    // (the client refreshes the slot map instead), so only the deadlines are set here.
    enableOfflineQueue: false,
    redisOptions: {
      connectTimeout: failFastRedisOptions.connectTimeout,
      commandTimeout: failFastRedisOptions.commandTimeout,
      maxRetriesPerRequest: failFastRedisOptions.maxRetriesPerRequest,
    },
    clusterRetryStrategy: redisRetryMs,
    slotsRefreshTimeout: 1000,
  });
}

/** One reply of CLUSTER SHARDS (RESP2: flat name/value lists) as an object. */
function pairs(flat: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) result[String(flat[i])] = flat[i + 1];
  return result;
}

interface ShardNode {
  name: string;
  address: string;
  role: string;
  health: string;
}

interface Shard {
  slots: [number, number][];
  nodes: ShardNode[];
}

/** CLUSTER SHARDS as the first node that answers it tells. */
async function clusterShards(cluster: Cluster): Promise<Shard[]> {
  let lastError: unknown = new Error('no node of the cluster is known');
  for (const node of cluster.nodes('all')) {
    try {
      const reply = (await node.call('CLUSTER', 'SHARDS')) as unknown[][];
      return reply.map((raw) => {
        const shard = pairs(raw);
        const bounds = (shard.slots as (string | number)[]).map(Number);
        const slots: [number, number][] = [];
        for (let i = 0; i + 1 < bounds.length; i += 2) slots.push([bounds[i]!, bounds[i + 1]!]);
        const nodes = (shard.nodes as unknown[][]).map((n) => {
          const fields = pairs(n);
          const address = `${String(fields.ip)}:${String(fields.port)}`;
          return { name: String(fields.hostname || '') || address, address, role: String(fields.role), health: String(fields.health) };
        });
        return { slots, nodes };
      });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function countKeys(node: Redis, match: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/** Every shard that serves slots, with the sessions its primary holds (or why it could not say). */
export async function countShards(cluster: Cluster, prefix: string): Promise<ShardCount[]> {
  const shards = (await clusterShards(cluster)).filter((shard) => shard.slots.length > 0);
  const clients = cluster.nodes('all');
  return Promise.all(
    shards.map(async ({ slots, nodes }): Promise<ShardCount> => {
      const primary = nodes.find((n) => n.role === 'master');
      const shard = { primary: primary?.name ?? '?', replicas: nodes.filter((n) => n !== primary).map((n) => n.name), slots };
      const client = primary && clients.find((c) => `${c.options.host}:${c.options.port}` === primary.address);
      if (!client) return { ...shard, sessions: null, error: 'no connection to its primary' };
      try {
        return { ...shard, sessions: await countKeys(client, `${prefix}*`) };
      } catch (err) {
        return { ...shard, sessions: null, error: describeError(err) };
      }
    }),
  );
}
