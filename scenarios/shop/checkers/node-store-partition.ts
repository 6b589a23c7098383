// One node cut off from the shared store while its peer is not: what do users see through the
// balancer? A pure function of the history: the requests sent during the partition, which node
// answered them, how many answered 503 (reads and writes apart), how many nginx passed on to the
// other node, and whether any acknowledged write was lost or the cut node stayed broken after the heal.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, shopActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/**
 * The partition is the first `partition`, its first group the node cut off (`server_1 | redis`);
 * it lasts until the next `heal`. writes-lost: an acknowledged add is missing; not-recovered: the
 * cut node answered no request successfully after the heal; users-see-503: a cart view (a GET,
 * which nginx may pass on) answered 503 during the partition; reads-rerouted: none did, nginx
 * answered every view from the other node (adds sent to the cut node may still answer 503: they
 * are never sent twice).
 */
export function nodeStorePartitionVerdict(history: readonly ShopOp[]): Verdict {
  const nemesis = history.filter((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  const cut = nemesis.find((op) => op.action === 'partition');
  const heal = cut && nemesis.find((op) => op.action === 'heal' && op.index > cut.index);
  if (!cut || !heal) return { observed: 'inconclusive', metrics: { partitions: cut ? 1 : 0, heals: 0 } };
  const node = String(cut.args?.target).split('|')[0]!.trim().split(/\s+/)[0]!;
  const requests = history.filter((op) => cartActions.has(op.action));
  // From the moment the partition was asked for until the heal was done: the rules land at some
  // point within each operation (under compose, each service's in turn).
  const during = requests.filter((op) => op.startedMs >= cut.startedMs && op.startedMs < heal.endedMs);
  const reads = during.filter((op) => op.action === shopActions.viewCart);
  const writes = during.filter((op) => op.action !== shopActions.viewCart);
  const reads503 = reads.filter((op) => op.status === 503);
  const slowest = Math.max(0, ...during.map((op) => op.endedMs - op.startedMs));
  const backOnNode = requests.find((op) => op.startedMs >= heal.endedMs && op.servedBy === node && op.type === 'ok');
  const carts = analyzeCarts(history);
  const metrics = {
    partition: cut.request,
    requestsDuringPartition: during.length,
    answeredByCutNode: during.filter((op) => op.servedBy === node).length,
    reads: reads.length,
    reads503: reads503.length,
    writes: writes.length,
    writes503: writes.filter((op) => op.status === 503).length,
    otherFailures: during.filter((op) => op.type !== 'ok' && op.status !== 503).length,
    passedOnByBalancer: during.filter((op) => (op.upstreamTries ?? 1) > 1).length,
    slowestMs: Math.round(slowest),
    msUntilCutNodeAnsweredAfterHeal: backOnNode ? Math.round(backOnNode.endedMs - heal.endedMs) : null,
    lostSessions: carts.lostSessions,
    wrongCarts: carts.wrongCarts,
  };
  if (carts.firstBad) return { observed: 'writes-lost', metrics, firstBad: carts.firstBad };
  if (!backOnNode) return { observed: 'not-recovered', metrics };
  if (during.length === 0) return { observed: 'inconclusive', metrics };
  const first503 = reads503[0];
  if (first503) return { observed: 'users-see-503', metrics, firstBad: firstBad(first503, 'the cart, from whichever node can reach the store', `503 from ${first503.servedBy ?? 'nginx'}`) };
  return { observed: 'reads-rerouted', metrics };
}
