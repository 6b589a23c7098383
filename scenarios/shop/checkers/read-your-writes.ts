// Read-your-writes across a redirect: a form's add answered 303 to /cart, and the browser's GET
// of /cart sent the moment the 303's headers arrived. Whatever the 303 confirmed must be in the
// cart that GET shows, whichever node it reached.
import { median } from '../../../lib/stats.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { formatCart, shopActions, type ShopOp } from '../actions.ts';

/**
 * read-missed-write: a followed GET showed a cart without the line its 303 had just confirmed.
 * read-saw-write: every followed GET showed it. inconclusive: no add was answered 303 and followed.
 * bodyLagMs, how long after the 303's headers its body ended, measures the window: express-session
 * holds the answer's last byte until its save of the session has ended.
 */
export function readYourWritesVerdict(history: readonly ShopOp[]): Verdict {
  const pairs = history
    .filter((op) => op.action === shopActions.addItem && op.args?.then === 'cart' && op.type === 'ok' && op.status === 303)
    .map((add) => ({ add, read: history.find((op) => op.index === add.index + 1 && op.process === add.process && op.action === shopActions.viewCart) }))
    .filter((pair): pair is { add: ShopOp; read: ShopOp } => pair.read?.type === 'ok');
  const missed = pairs.filter(({ add, read }) => !read.cart?.some((line) => line.sku === add.args?.sku));
  const lags = pairs.map(({ add }) => add.bodyLagMs ?? 0);
  const readsMs = pairs.map(({ read }) => read.endedMs - read.startedMs);
  const metrics = {
    tries: pairs.length,
    missed: missed.length,
    missedShare: pairs.length ? Number((missed.length / pairs.length).toFixed(2)) : 0,
    saveAfterHeadersMsMedian: lags.length ? Number(median(lags).toFixed(1)) : 0,
    saveAfterHeadersMsMax: lags.length ? Math.max(...lags) : 0,
    followedReadMsMedian: readsMs.length ? Number(median(readsMs).toFixed(1)) : 0,
    readOnOtherNode: pairs.filter(({ add, read }) => add.servedBy !== read.servedBy).length,
  };
  const first = missed[0];
  if (first) return { observed: 'read-missed-write', metrics, firstBad: firstBad(first.read, `the ${String(first.add.args?.sku)} its 303 confirmed`, formatCart(first.read.cart)) };
  return { observed: pairs.length ? 'read-saw-write' : 'inconclusive', metrics };
}
