// What a node that joins does to PostgreSQL's connections, judged by the answers after it joined:
// every node's pool counts against max_connections, and the newcomer's may find none left. A pure
// function of the history.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

/**
 * pool-exhausted: no answer failed while two nodes ran, and after the scale-out some did, 5xx (a
 * pool could not open a connection it needed). Mostly the node that joined: the others' pools were
 * full already; but whichever pool grows last fails, and under Docker that was an old node's once
 * in ten (failedOnNewNode says how many were the newcomer's). no-request-failed: every answer was
 * 2xx and the new node served some. cart-lost: a cart lacked an acknowledged add. inconclusive
 * otherwise (no scale-out, or failures before it: not this point).
 */
export function poolVerdict(history: readonly ShopOp[]): Verdict {
  const joined = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'scale-out' && op.type === 'ok');
  if (!joined) return { observed: 'inconclusive', metrics: { scaleOuts: 0 } };
  // The fault's op is recorded once nginx has reloaded, and the new node may answer before that:
  // what counts is when the fault began. The new node is one no answer named before then.
  const before = history.filter((op) => op.endedMs <= joined.startedMs && cartActions.has(op.action));
  const after = history.filter((op) => op.endedMs > joined.startedMs && op.index !== joined.index && cartActions.has(op.action));
  const oldNodes = new Set(before.map((op) => op.servedBy).filter(Boolean));
  const newNode = after.find((op) => op.servedBy && !oldNodes.has(op.servedBy))?.servedBy;
  const failed = after.filter((op) => op.status !== undefined && op.status >= 500);
  const perNode: Record<string, { requests: number; failed: number }> = {};
  for (const op of after) {
    const node = (perNode[op.servedBy ?? 'none'] ??= { requests: 0, failed: 0 });
    node.requests++;
    if (op.status !== undefined && op.status >= 500) node.failed++;
  }
  const carts = analyzeCarts(history);
  const metrics = {
    requestsAfter: after.length,
    failedAfter: failed.length,
    failedOnNewNode: failed.filter((op) => op.servedBy === newNode).length,
    slowestFailureMs: Math.round(Math.max(0, ...failed.map((op) => op.endedMs - op.startedMs))),
    perNode,
  };
  if (carts.wrongCarts > 0) return { observed: 'cart-lost', metrics, firstBad: carts.firstBad };
  const failedBefore = before.filter((op) => op.status !== undefined && op.status >= 500);
  if (failedBefore.length > 0) return { observed: 'inconclusive', metrics: { ...metrics, failedBefore: failedBefore.length } };
  if (failed.length > 0) return { observed: 'pool-exhausted', metrics, firstBad: firstBad(failed[0]!, 'an answer, as before the scale-out', `${failed[0]!.status}${failed[0]!.seen ? ` ${failed[0]!.seen}` : ''}`) };
  if (newNode !== undefined) return { observed: 'no-request-failed', metrics };
  return { observed: 'inconclusive', metrics };
}
