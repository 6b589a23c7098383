// What the devices' carts should have been, against what the answers showed. A pure function
// of the history: for each device, the cart its own successful writes imply; a write whose
// outcome is unknown (info) may or may not count, so it widens the range instead of deciding.
import type { CartLine } from '../../../app/contract.ts';
import { enginePrincipals } from '../../../runner/history.ts';
import { firstBad, type FirstBad, type Verdict } from '../../../runner/scenario.ts';
import { cartActions, formatCart, shopActions, type ShopOp } from '../actions.ts';

interface QtyRange {
  min: number;
  max: number;
}

export interface NodeStats {
  requests: number;
  lostSessions: number;
  wrongCarts: number;
}

export interface CartAnalysis {
  /** Device requests that got an answer from a node. */
  requests: number;
  /** Anonymous answers with X-Session-State: lost (a logged-in cart does not live in the session). */
  lostSessions: number;
  /** Answers whose cart is not what the device's own writes imply. */
  wrongCarts: number;
  /** Writes whose outcome is unknown. */
  unknownWrites: number;
  perNode: Record<string, NodeStats>;
  nodesSeen: string[];
  /** The distinct sessions each device held. */
  sessionsByDevice: Record<string, string[]>;
  /** The first answer that said lost or showed a cart the device's writes do not explain. */
  firstBad: FirstBad | undefined;
}

function applyWrite(model: Map<string, QtyRange>, op: ShopOp): void {
  const sku = String(op.args?.sku);
  const range = model.get(sku) ?? { min: 0, max: 0 };
  if (op.action === shopActions.addItem) {
    const qty = Number(op.args?.qty);
    if (op.type === 'ok') range.min += qty;
    range.max += qty;
    model.set(sku, range);
  } else if (op.action === shopActions.removeItem) {
    range.min = 0;
    if (op.type === 'ok') range.max = 0;
    model.set(sku, range);
  }
}

/** The cart a device's own writes imply (ops in order; a failed write counts for nothing). */
export function cartModel(ops: readonly ShopOp[]): Map<string, QtyRange> {
  const model = new Map<string, QtyRange>();
  for (const op of ops) if (op.type !== 'fail') applyWrite(model, op);
  return model;
}

/** The cart the writes imply, in words: "apple×2 bread×0..1". */
function describeModel(model: ReadonlyMap<string, QtyRange>): string {
  const lines = [...model].filter(([, r]) => r.max > 0).map(([sku, r]) => `${sku}×${r.min === r.max ? r.min : `${r.min}..${r.max}`}`);
  return lines.length === 0 ? 'cart empty' : `cart ${lines.join(' ')}`;
}

/** True when every sku's observed quantity lies within what the writes allow. */
export function cartMatches(model: ReadonlyMap<string, QtyRange>, cart: readonly CartLine[]): boolean {
  const seen = new Map(cart.map((line) => [line.sku, line.qty]));
  for (const sku of new Set([...model.keys(), ...seen.keys()])) {
    const qty = seen.get(sku) ?? 0;
    const range = model.get(sku) ?? { min: 0, max: 0 };
    if (qty < range.min || qty > range.max) return false;
  }
  return true;
}

/**
 * A cart belongs to its logged-in user (the same on every device), else to the device. Assumes
 * one owner's requests do not overlap (one user clicking), which is how scenarios drive devices;
 * several owners may run at once.
 */
export function analyzeCarts(history: readonly ShopOp[]): CartAnalysis {
  const models = new Map<string, Map<string, QtyRange>>();
  const sessions = new Map<string, Set<string>>();
  const perNode: Record<string, NodeStats> = {};
  const result: CartAnalysis = { requests: 0, lostSessions: 0, wrongCarts: 0, unknownWrites: 0, perNode, nodesSeen: [], sessionsByDevice: {}, firstBad: undefined };

  for (const op of history) {
    if (!cartActions.has(op.action)) continue;
    const owner = op.user !== undefined ? `user ${op.user}` : op.process;
    const model = models.get(owner) ?? new Map<string, QtyRange>();
    models.set(owner, model);
    // What the device knew before this answer: a wrong cart is judged against it (for a write, with the write).
    if (op.type !== 'fail') applyWrite(model, op);
    if (op.type === 'info' && (op.action === shopActions.addItem || op.action === shopActions.removeItem)) result.unknownWrites++;
    if (op.session) {
      const set = sessions.get(op.process) ?? new Set<string>();
      set.add(op.session);
      sessions.set(op.process, set);
    }
    if (op.servedBy === undefined) continue;
    const node = (perNode[op.servedBy] ??= { requests: 0, lostSessions: 0, wrongCarts: 0 });
    node.requests++;
    result.requests++;
    if (op.sessionState === 'lost' && op.user === undefined) {
      node.lostSessions++;
      result.lostSessions++;
      result.firstBad ??= firstBad(op, `the session it held (${describeModel(model)})`, `lost, ${formatCart(op.cart) || 'no cart'}`);
    }
    if (op.type === 'ok' && op.cart && !cartMatches(model, op.cart)) {
      node.wrongCarts++;
      result.wrongCarts++;
      result.firstBad ??= firstBad(op, describeModel(model), formatCart(op.cart));
    }
  }
  result.nodesSeen = Object.keys(perNode).sort();
  result.sessionsByDevice = Object.fromEntries([...sessions].map(([device, set]) => [device, [...set]]));
  return result;
}

/**
 * cart-kept: every answer showed the cart the device built, and more than one node answered
 * (and, after each restart, the restarted node answered again). cart-lost: some answer said
 * lost or showed another cart. inconclusive: a single node answered everything, so the run
 * says nothing about sharing sessions between nodes.
 */
export function cartVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeCarts(history);
  const restartsNotRevisited = history
    .filter((op) => op.process === enginePrincipals.nemesis && op.action === 'restart')
    .filter((fault) => !history.some((op) => op.index > fault.index && cartActions.has(op.action) && op.servedBy === fault.args?.service));
  const metrics = {
    requests: analysis.requests,
    lostSessions: analysis.lostSessions,
    wrongCarts: analysis.wrongCarts,
    unknownWrites: analysis.unknownWrites,
    perNode: analysis.perNode,
  };
  if (analysis.lostSessions > 0 || analysis.wrongCarts > 0) return { observed: 'cart-lost', metrics, firstBad: analysis.firstBad };
  if (analysis.nodesSeen.length < 2 || restartsNotRevisited.length > 0) return { observed: 'inconclusive', metrics };
  return { observed: 'cart-kept', metrics };
}

/**
 * separate-sessions: each device held sessions of its own (none shared with another device) and
 * saw only its own cart. shared-session: two devices held the same session. carts-mixed: a device
 * saw a cart its own writes do not explain.
 */
export function separateSessionsVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeCarts(history);
  const owners = new Map<string, string>();
  let shared: ShopOp | undefined;
  for (const op of history) {
    if (!op.session || !cartActions.has(op.action)) continue;
    const owner = owners.get(op.session);
    if (owner === undefined) owners.set(op.session, op.process);
    else if (owner !== op.process) shared ??= op;
  }
  const metrics = {
    devices: Object.keys(analysis.sessionsByDevice).length,
    sessionsByDevice: Object.fromEntries(Object.entries(analysis.sessionsByDevice).map(([d, s]) => [d, s.length])),
    wrongCarts: analysis.wrongCarts,
    lostSessions: analysis.lostSessions,
  };
  if (shared) return { observed: 'shared-session', metrics, firstBad: firstBad(shared, 'a session of its own', `session ${shared.session} of ${owners.get(shared.session!) ?? 'another device'}`) };
  if (analysis.wrongCarts > 0 || analysis.lostSessions > 0) return { observed: 'carts-mixed', metrics, firstBad: analysis.firstBad };
  if (metrics.devices < 2) return { observed: 'inconclusive', metrics };
  return { observed: 'separate-sessions', metrics };
}

/**
 * one-cart-everywhere: one user on two or more devices, answered by two or more nodes, and every
 * answer showed the cart all the user's devices built together. cart-lost: some answer did not.
 */
export function userCartVerdict(history: readonly ShopOp[]): Verdict {
  const analysis = analyzeCarts(history);
  const cartOps = history.filter((op) => cartActions.has(op.action) && op.user !== undefined);
  const users = new Set(cartOps.map((op) => op.user));
  const devices = new Set(cartOps.map((op) => op.process));
  const metrics = { users: users.size, devices: devices.size, requests: cartOps.length, wrongCarts: analysis.wrongCarts, perNode: analysis.perNode };
  if (analysis.wrongCarts > 0) return { observed: 'cart-lost', metrics, firstBad: analysis.firstBad };
  if (users.size !== 1 || devices.size < 2 || analysis.nodesSeen.length < 2) return { observed: 'inconclusive', metrics };
  return { observed: 'one-cart-everywhere', metrics };
}
