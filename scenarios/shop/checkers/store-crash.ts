// What a store's restart or crash took with it: each device's acknowledged adds against the last
// cart the device was shown. A pure function of the history that never asks when the fault
// operation itself ended: how long a backend takes to kill or start a store must not decide what
// counts as lost. A write with no answer or a 5xx (info) is neither kept nor lost.
import { enginePrincipals } from '../../../runner/history.ts';
import { lostAdds } from './lost-adds.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

/** Acknowledged quantities a cart lacks: every add of these workloads is one unit, so this counts adds. */
function missingAdds(acknowledged: ReadonlyMap<string, number>, op: ShopOp): number {
  const shown = new Map((op.cart ?? []).map((l) => [l.sku, l.qty]));
  let missing = 0;
  for (const [sku, qty] of acknowledged) missing += Math.max(0, qty - (shown.get(sku) ?? 0));
  return missing;
}

/**
 * Devices are anonymous (their cart lives in the session) or logged in (their answers name a user:
 * the cart lives with the user in the database). For each device that answered after the first
 * fault began, its last cart is held against every add acknowledged before that answer came
 * (adds only grow a cart, so re-adding a sku after a loss cannot hide it). logged-in-writes-lost:
 * a logged-in device's cart lacked acknowledged adds. writes-lost: an anonymous device's did, and
 * no logged-in device lost anything. no-write-lost: every device's last cart held all of them.
 * firstBad is the first answer that showed a cart without an acknowledged add.
 */
export function storeCrashVerdict(history: readonly ShopOp[]): Verdict {
  const faults = history.filter((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  if (faults.length === 0) return { observed: 'inconclusive', metrics: { faults: 0 } };
  const [fault, back] = [faults[0]!, faults.at(-1)!];
  const devices = [...new Set(history.filter((op) => cartActions.has(op.action)).map((op) => op.process))];
  let acknowledgedTotal = 0;
  let lost = 0;
  let sessionsLost = 0;
  let devicesChecked = 0;
  const loggedIn = { devices: 0, acknowledged: 0, lost: 0 };
  let first: FirstBad | undefined;
  let firstLoggedIn: FirstBad | undefined;
  const lostWrites: number[] = [];
  for (const device of devices) {
    const ops = history.filter((op) => op.process === device && cartActions.has(op.action));
    const acknowledged = new Map<string, number>();
    const acknowledgedOps: ShopOp[] = [];
    let adds = 0;
    let last: { op: ShopOp; missing: number; adds: number } | undefined;
    let bad: FirstBad | undefined;
    for (const op of ops) {
      if (op.type === 'ok' && op.action === shopActions.addItem) {
        const sku = String(op.args?.sku);
        acknowledged.set(sku, (acknowledged.get(sku) ?? 0) + Number(op.args?.qty));
        acknowledgedOps.push(op);
        adds++;
      }
      if (op.type !== 'ok' || !op.cart || op.startedMs < fault.startedMs) continue;
      const missing = missingAdds(acknowledged, op);
      last = { op, missing, adds };
      bad ??= missing > 0 ? firstBad(op, `the ${adds} adds acknowledged so far`, `${op.sessionState}, ${formatCart(op.cart)}`) : undefined;
    }
    if (!last || last.adds === 0) continue;
    lostWrites.push(...lostAdds(acknowledgedOps.filter((op) => op.index < last.op.index), last.op.cart).map((op) => op.index));
    devicesChecked++;
    acknowledgedTotal += last.adds;
    lost += last.missing;
    if (ops.some((op) => op.startedMs >= fault.startedMs && op.sessionState === 'lost')) sessionsLost++;
    const isLoggedIn = last.op.user !== undefined;
    if (isLoggedIn) {
      loggedIn.devices++;
      loggedIn.acknowledged += last.adds;
      loggedIn.lost += last.missing;
    }
    if (last.missing === 0 || !bad) continue;
    if (!first || bad.index < first.index) first = bad;
    if (isLoggedIn && (!firstLoggedIn || bad.index < firstLoggedIn.index)) firstLoggedIn = bad;
  }
  const metrics = {
    fault: fault === back ? fault.request : `${fault.request} … ${back.request}`,
    devices: devicesChecked,
    acknowledged: acknowledgedTotal,
    lost,
    sessionsLost,
    loggedInDevices: loggedIn.devices,
    loggedInAcknowledged: loggedIn.acknowledged,
    loggedInLost: loggedIn.lost,
  };
  if (devicesChecked === 0) return { observed: 'inconclusive', metrics };
  lostWrites.sort((a, b) => a - b);
  if (loggedIn.lost > 0) return { observed: 'logged-in-writes-lost', metrics, firstBad: firstLoggedIn, lostWrites };
  return lost > 0 ? { observed: 'writes-lost', metrics, firstBad: first, lostWrites } : { observed: 'no-write-lost', metrics };
}
