// What a store's restart or crash took with it: each device's acknowledged adds before the fault,
// against the first cart the device was shown after the store was back. A pure function of the
// history; a write with no answer or a 5xx (info) is neither kept nor lost.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

/**
 * The fault is the first one on the store; "back" is the last fault's end. Devices are anonymous
 * (their cart lives in the session) or logged in (their answers name a user: the cart lives with
 * the user in the database). logged-in-writes-lost: a logged-in device's first cart after the
 * store was back lacked acknowledged adds. writes-lost: an anonymous device's did, and no
 * logged-in device lost anything; sessionsLost says how many devices found their session gone.
 * no-write-lost: every device saw all of its acknowledged adds again.
 */
export function storeCrashVerdict(history: readonly ShopOp[]): Verdict {
  const faults = history.filter((op) => op.process === enginePrincipals.nemesis && op.type === 'ok');
  if (faults.length === 0) return { observed: 'inconclusive', metrics: { faults: 0 } };
  const [fault, back] = [faults[0]!, faults.at(-1)!];
  const devices = [...new Set(history.filter((op) => cartActions.has(op.action)).map((op) => op.process))];
  let acknowledged = 0;
  let lost = 0;
  let sessionsLost = 0;
  let devicesChecked = 0;
  const loggedIn = { devices: 0, acknowledged: 0, lost: 0 };
  let first: FirstBad | undefined;
  let firstLoggedIn: FirstBad | undefined;
  for (const device of devices) {
    const ops = history.filter((op) => op.process === device && cartActions.has(op.action));
    const before = ops.filter((op) => op.type === 'ok' && op.endedMs <= fault.startedMs);
    const adds = before.filter((op) => op.action === shopActions.addItem);
    const model = new Map<string, number>();
    for (const op of adds) model.set(String(op.args?.sku), (model.get(String(op.args?.sku)) ?? 0) + Number(op.args?.qty));
    const after = ops.find((op) => op.type === 'ok' && op.startedMs >= back.endedMs && op.cart);
    if (!after || adds.length === 0) continue;
    devicesChecked++;
    acknowledged += adds.length;
    if (after.sessionState === 'lost') sessionsLost++;
    const shown = new Map((after.cart ?? []).map((l) => [l.sku, l.qty]));
    // Quantities missing, counted in adds (every add of these workloads is one unit).
    let missing = 0;
    for (const [sku, qty] of model) missing += Math.max(0, qty - (shown.get(sku) ?? 0));
    lost += missing;
    if (after.user !== undefined) {
      loggedIn.devices++;
      loggedIn.acknowledged += adds.length;
      loggedIn.lost += missing;
    }
    if (missing === 0) continue;
    const bad = firstBad(after, `the ${adds.length} adds acknowledged before ${fault.request}`, `${after.sessionState}, ${formatCart(after.cart)}`);
    if (!first || bad.index < first.index) first = bad;
    if (after.user !== undefined && (!firstLoggedIn || bad.index < firstLoggedIn.index)) firstLoggedIn = bad;
  }
  const metrics = {
    fault: `${fault.request} … ${back.request}`,
    devices: devicesChecked,
    acknowledgedBeforeFault: acknowledged,
    lost,
    sessionsLost,
    loggedInDevices: loggedIn.devices,
    loggedInAcknowledged: loggedIn.acknowledged,
    loggedInLost: loggedIn.lost,
  };
  if (devicesChecked === 0) return { observed: 'inconclusive', metrics };
  if (loggedIn.lost > 0) return { observed: 'logged-in-writes-lost', metrics, firstBad: firstLoggedIn };
  return lost > 0 ? { observed: 'writes-lost', metrics, firstBad: first } : { observed: 'no-write-lost', metrics };
}
