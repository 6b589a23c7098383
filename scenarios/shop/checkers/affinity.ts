// Verdicts on sticky sessions: does each device stay on one node, what does a first visit with no
// cookie yet cost, and what happens to a device whose node dies and comes back. Pure functions of
// the history; the cart model is the cart checker's.
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, type ShopOp } from '../actions.ts';
import { analyzeCarts } from './cart.ts';

type Op = ShopOp;

const answeredByNode = (op: Op) => cartActions.has(op.action) && op.servedBy !== undefined;

/** Each device's nodes, in the order it first met them. */
function nodesByDevice(history: readonly Op[]): Map<string, string[]> {
  const nodes = new Map<string, string[]>();
  for (const op of history.filter(answeredByNode)) {
    const seen = nodes.get(op.process) ?? [];
    if (!seen.includes(op.servedBy!)) seen.push(op.servedBy!);
    nodes.set(op.process, seen);
  }
  return nodes;
}

/**
 * sticky-kept: every device was served by one node only, no answer lost a session or showed a
 * wrong cart, and the devices spread over two or more nodes. one-node-only: the same, but every
 * device landed on one node (the others idled: many users behind one address). affinity-broken: a
 * device was served by two nodes. cart-lost: an answer said lost or showed a wrong cart.
 */
export function affinityVerdict(history: readonly Op[]): Verdict {
  const carts = analyzeCarts(history);
  const byDevice = nodesByDevice(history);
  const devicesPerNode: Record<string, number> = {};
  for (const nodes of byDevice.values()) for (const node of nodes) devicesPerNode[node] = (devicesPerNode[node] ?? 0) + 1;
  const moved = [...byDevice].filter(([, nodes]) => nodes.length > 1).map(([device]) => device);
  const metrics = {
    devices: byDevice.size,
    devicesPerNode,
    requestsPerNode: Object.fromEntries(Object.entries(carts.perNode).map(([node, s]) => [node, s.requests])),
    devicesOnTwoNodes: moved.length,
    lostSessions: carts.lostSessions,
    wrongCarts: carts.wrongCarts,
  };
  if (carts.firstBad) return { observed: 'cart-lost', metrics, firstBad: carts.firstBad };
  if (moved.length > 0) {
    const device = moved[0]!;
    const first = byDevice.get(device)![0]!;
    const hop = history.find((op) => op.process === device && answeredByNode(op) && op.servedBy !== first)!;
    return { observed: 'affinity-broken', metrics, firstBad: firstBad(hop, `${device}'s node ${first}`, hop.servedBy!) };
  }
  if (byDevice.size < 2) return { observed: 'inconclusive', metrics };
  return { observed: Object.keys(devicesPerNode).length < 2 ? 'one-node-only' : 'sticky-kept', metrics };
}

/**
 * A first visit sends no session cookie yet, so a balancer hashing on the cookie places it by the
 * empty key; the session it creates there is looked up afterwards on the node its own id hashes
 * to. first-cart-lost: some visitor's second request found that first session lost.
 * first-cart-kept: no visitor's did.
 */
export function firstVisitVerdict(history: readonly Op[]): Verdict {
  const visits = new Map<string, Op[]>();
  for (const op of history.filter(answeredByNode)) visits.set(op.process, [...(visits.get(op.process) ?? []), op]);
  const visitors = [...visits.values()].filter((ops) => ops.length >= 2 && ops[0]!.sessionState === 'new');
  const lostSecond = visitors.filter((ops) => ops[1]!.sessionState === 'lost');
  const perNode = (ops: Op[]) => {
    const counts: Record<string, number> = {};
    for (const op of ops) counts[op.servedBy!] = (counts[op.servedBy!] ?? 0) + 1;
    return counts;
  };
  const metrics = {
    visitors: visitors.length,
    firstCartLost: lostSecond.length,
    firstCartLostPercent: visitors.length === 0 ? 0 : Math.round((lostSecond.length / visitors.length) * 100),
    firstRequestNodes: perNode(visitors.map((ops) => ops[0]!)),
    secondRequestNodes: perNode(visitors.map((ops) => ops[1]!)),
    lostLater: visitors.reduce((n, ops) => n + ops.slice(2).filter((op) => op.sessionState === 'lost').length, 0),
  };
  if (visitors.length === 0) return { observed: 'inconclusive', metrics };
  const lost = lostSecond[0]?.[1];
  if (!lost) return { observed: 'first-cart-kept', metrics };
  const created = lostSecond[0]![0]!;
  return { observed: 'first-cart-lost', metrics, firstBad: firstBad(lost, `the session created on ${created.servedBy} (${formatCart(created.cart)})`, `lost, ${formatCart(lost.cart)}`) };
}

/**
 * The node of one or more devices is killed, started again later. lost-on-move-and-back: each
 * device of the killed node lost its session when it moved to the surviving node and again when
 * it moved back; the devices of the surviving node lost nothing. survivors-lost: a device of the
 * surviving node lost its session. kept: a moved device kept its session (a shared store would).
 * inconclusive: no device was on the killed node, or none on the other (then nothing says what
 * the survivors kept: all devices arriving from one address sit on one node).
 */
export function failoverVerdict(history: readonly Op[]): Verdict {
  const kill = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'kill' && op.type === 'ok');
  const start = history.find((op) => op.process === enginePrincipals.nemesis && op.action === 'start' && op.type === 'ok');
  if (!kill || !start) return { observed: 'inconclusive', metrics: { killed: Boolean(kill), started: Boolean(start) } };
  const killed = String(kill.args?.service);
  const answered = history.filter(answeredByNode);
  const homeOf = new Map<string, string>();
  for (const op of answered.filter((o) => o.index < kill.index)) homeOf.set(op.process, op.servedBy!);
  const phase = (device: string, from: number, to: number) => answered.filter((op) => op.process === device && op.index > from && op.index < to);
  const losses = (ops: Op[]) => ops.filter((op) => op.sessionState === 'lost');
  const moved = [...homeOf].filter(([, node]) => node === killed).map(([device]) => device);
  const pinned = [...homeOf].filter(([, node]) => node !== killed).map(([device]) => device);
  const lossesOf = (device: string) => ({ whileDown: losses(phase(device, kill.index, start.index)).length, afterReturn: losses(phase(device, start.index, Infinity)).length });
  const metrics = {
    killed,
    movedDevices: moved.length,
    pinnedDevices: pinned.length,
    losses: Object.fromEntries([...homeOf.keys()].map((device) => [device, lossesOf(device)])),
    movedBack: moved.filter((device) => phase(device, start.index, Infinity).at(-1)?.servedBy === killed).length,
  };
  const pinnedLoss = pinned.flatMap((device) => losses(phase(device, kill.index, Infinity)))[0];
  if (pinnedLoss) return { observed: 'survivors-lost', metrics, firstBad: firstBad(pinnedLoss, 'its session, on the node that stayed up', 'lost') };
  if (moved.length === 0 || pinned.length === 0) return { observed: 'inconclusive', metrics };
  const keptOne = moved.find((device) => lossesOf(device).whileDown === 0);
  if (keptOne) return { observed: 'kept', metrics };
  const firstLoss = losses(phase(moved[0]!, kill.index, start.index))[0]!;
  const complete = moved.every((device) => lossesOf(device).afterReturn > 0) && metrics.movedBack === moved.length;
  return complete ? { observed: 'lost-on-move-and-back', metrics, firstBad: firstBad(firstLoss, `the session it had on ${killed}`, `lost on ${firstLoss.servedBy}`) } : { observed: 'inconclusive', metrics };
}
