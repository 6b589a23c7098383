import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { nodeStorePartitionVerdict } from './shop/checkers/node-store-partition.ts';
import { writeUnderFaults, type LoadPlan } from './shop/load.ts';

// 8 devices add to their carts and view them, through nginx round robin, while server_1 is cut
// off from Redis for 4 s and server_2 is not. server_1 still answers nginx: after its 1 s store
// deadline, with a 503. To nginx a 503 is an answer like any other, so it goes on sending every
// other request to server_1 and passes none on; half the users' clicks hang for a second and fail.
// After the heal the load goes on until server_1 serves a request again: nginx may have left it
// out for its 2 s fail_timeout, and its connection to Redis waits out TCP's retransmission back-off.
const partitionPlan: LoadPlan = {
  devices: 8,
  durationMs: 6000,
  maxDurationMs: 20_000,
  backWhenServedBy: 'server_1',
  viewsPerAdd: 1,
  faults: [
    { atMs: 1000, fault: 'partition', target: 'server_1 | redis' },
    { atMs: 5000, fault: 'heal', target: '' },
  ],
};

export const nodeStorePartition: Scenario<ShopOp> = {
  name: 'node-store-partition',
  summary: 'redis-2: server_1 is cut off from Redis for 4 s, server_2 is not: nginx keeps sending every other request to server_1, which answers 503 after its 1 s deadline; nothing acknowledged is lost.',
  topology: 'redis-2',
  expected: 'users-see-503',
  needs: ['network-faults'],
  run: (lab) => writeUnderFaults(lab, partitionPlan),
  check: nodeStorePartitionVerdict,
};

// The remedy, in the balancer: proxy_next_upstream http_503. A view that server_1 answers 503 is
// sent on to server_2, and each 503 counts against server_1's max_fails, so nginx leaves it out
// for 2 s at a time. Adds are not sent twice (an add may have been applied before the 503), so the
// few that reach server_1 between two of its time-outs still answer 503.
export const nodeStorePartitionNextUpstream: Scenario<ShopOp> = {
  ...nodeStorePartition,
  name: 'node-store-partition-next-upstream',
  summary: 'redis-2-next-upstream: the same partition behind nginx with proxy_next_upstream http_503: every cart view is answered (by server_2), nginx stops sending users to server_1, and fewer adds answer 503.',
  topology: 'redis-2-next-upstream',
  expected: 'reads-rerouted',
};
