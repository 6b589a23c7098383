// A rolling deploy that changes what the session holds, judged by what the devices saw while
// nodes of both versions served the same sessions. A pure function of the history: the deploy is
// the nemesis's redeploys; an answer is judged by its status and by the cart the device's own
// acknowledged adds imply (cart.ts).
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, shopActions, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';
import { lostAdds } from './lost-adds.ts';

/** Per device, the acknowledged adds its last cart shown does not hold. */
function addsLostByTheEnd(cartOps: readonly ShopOp[]): ShopOp[] {
  const devices = [...new Set(cartOps.map((op) => op.process))];
  return devices.flatMap((device) => {
    const ops = cartOps.filter((op) => op.process === device);
    const last = ops.findLast((op) => op.type === 'ok' && op.cart !== undefined);
    const acknowledged = ops.filter((op) => op.action === shopActions.addItem && op.type === 'ok' && last !== undefined && op.index <= last.index);
    return lostAdds(acknowledged, last?.cart);
  });
}

/**
 * deploy-broke-sessions: some answer was a 5xx, or showed a cart the device's adds do not explain
 * (an emptied one); lostAdds counts the acknowledged adds each device's last cart lacks.
 * deploy-kept-sessions: every node was redeployed, each one answered a device
 * after its last redeploy, and no answer was either. inconclusive otherwise.
 */
export function rollingDeployVerdict(history: readonly ShopOp[]): Verdict {
  const redeploys = history.filter((op) => op.process === enginePrincipals.nemesis && op.action === 'redeploy' && op.type === 'ok');
  const cartOps = history.filter((op) => cartActions.has(op.action));
  const serverErrors = cartOps.filter((op) => op.status !== undefined && op.status >= 500);
  const carts = analyzeCarts(history);
  const nodes = [...new Set(redeploys.map((op) => String(op.args?.service)))];
  const servedSinceLastRedeploy = nodes.filter((node) => {
    const last = redeploys.findLast((op) => op.args?.service === node)!;
    return cartOps.some((op) => op.index > last.index && op.servedBy === node && op.type === 'ok');
  });
  const lost = addsLostByTheEnd(cartOps);
  const metrics = {
    redeploys: redeploys.length,
    requests: carts.requests,
    serverErrors: serverErrors.length,
    wrongCarts: carts.wrongCarts,
    /** Acknowledged adds missing from the device's last cart. */
    lostAdds: lost.length,
    perNode: carts.perNode,
  };
  const firstError: FirstBad | undefined = serverErrors[0] && firstBad(serverErrors[0], 'the cart, as the other version of the shop left it', `${serverErrors[0].status}`);
  const first = [firstError, carts.firstBad].filter((bad) => bad !== undefined).sort((a, b) => a.index - b.index)[0];
  if (first) return { observed: 'deploy-broke-sessions', metrics, firstBad: first, lostWrites: lost.map((op) => op.index) };
  if (redeploys.length === 0 || servedSinceLastRedeploy.length < nodes.length) return { observed: 'inconclusive', metrics };
  return { observed: 'deploy-kept-sessions', metrics };
}
