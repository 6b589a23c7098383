// Does a session survive a hop to another node? A pure function of the history: a hop is a
// device's answer from another node than its previous answer.
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, type ShopOp } from '../actions.ts';

/**
 * lost-on-every-hop: two or more hops, and every answer after a hop said lost (the shared store
 * holds the session, but the node cannot verify the cookie's signature). kept-across-hops: no
 * hop lost the session. some-hops-lost: anything between.
 */
export function hopVerdict(history: readonly ShopOp[]): Verdict {
  const answers = history.filter((op) => cartActions.has(op.action) && op.servedBy !== undefined);
  const hops: ShopOp[] = [];
  const previous = new Map<string, ShopOp>();
  for (const op of answers) {
    const before = previous.get(op.process);
    if (before && before.servedBy !== op.servedBy) hops.push(op);
    previous.set(op.process, op);
  }
  const lost = hops.filter((op) => op.sessionState === 'lost');
  const metrics = {
    requests: answers.length,
    hops: hops.length,
    lostOnHop: lost.length,
    lostWithoutHop: answers.filter((op) => op.sessionState === 'lost' && !hops.includes(op)).length,
    sessionsStarted: answers.filter((op) => op.sessionState !== 'existing').length,
  };
  if (hops.length < 2) return { observed: 'inconclusive', metrics };
  if (lost.length === 0) return { observed: 'kept-across-hops', metrics };
  const first = lost[0]!;
  return { observed: lost.length === hops.length ? 'lost-on-every-hop' : 'some-hops-lost', metrics, firstBad: firstBad(first, 'the session the device held on the other node', `lost, ${formatCart(first.cart)}`) };
}
