// Continuous writes from many devices while a fault runs: each device adds a new sku after the
// other (so every answer's cart can be checked against the device's acknowledged adds) until the
// deadline, then reads its cart once more.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultName } from '../../runner/faults/index.ts';
import type { Lab } from '../../runner/lab.ts';
import { appServices } from '../../runner/topology.ts';
import type { ShopOp } from './actions.ts';
import { shopDevice } from './device.ts';

/**
 * A device waits this long after a failed write before its next one, as a client that retries
 * does. Without it, 8–16 devices answered 503 in a millisecond spin as fast as the answers come
 * (7,000 503s in 3 s) and starve the other processes of a 2-core machine: Sentinels then miss a
 * healthy primary's pings and fail over again.
 */
export const failedWriteBackoffMs = 20;

export interface LoadPlan {
  devices: number;
  /** How many of them sign up (and so are logged in) before writing: their cart lives with the user. */
  loggedIn?: number;
  /**
   * How long the devices write at least, in ms from the start of the load; then on until the last
   * fault's service is back: a node once it answered a request (nginx tries a failed node again
   * only after its fail_timeout), a store once every node served a request; for at most
   * maxDurationMs (plus however much longer than planned the faults took).
   */
  durationMs: number;
  maxDurationMs: number;
  /**
   * A node whose successful answer after the last fault ends the wait instead (a heal names no
   * service: the node that was cut off is back once it serves a request again).
   */
  backWhenServedBy?: string;
  /** Cart views (GET, which nginx may send to a second node) after each add; none by default. */
  viewsPerAdd?: number;
  /** Faults, each at its time from the start of the load (run one after the other); target as Lab.fault takes it. */
  faults: PlannedFault[];
}

export interface PlannedFault {
  atMs: number;
  fault: FaultName;
  target: string;
  /**
   * A node whose /healthz must answer 200 before this fault runs (its store answers again: after a
   * failover, the promoted replica), asked every storeAnswersPollMs and each answer recorded; at
   * the latest at maxDurationMs the fault runs anyway.
   */
  afterStoreAnswersOn?: string;
}

const storeAnswersPollMs = 250;

/** Probes the node's /healthz until it answers 200 or the deadline (a performance.now() time) passes. */
async function untilStoreAnswers(lab: Lab, node: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const probe = await lab.probe(node, '/healthz', 'does its store answer?');
    if (probe.status === 200) return;
    await sleep(storeAnswersPollMs);
  }
}

/** How much longer than planned the faults may make a load last. */
const faultOverrunLimitMs = 30_000;

export async function writeUnderFaults(lab: Lab, plan: LoadPlan): Promise<void> {
  const devices = Array.from({ length: plan.devices }, (_, i) => shopDevice(lab, `device-${String(i + 1).padStart(2, '0')}`));
  for (const [i, device] of devices.entries()) {
    if (i < (plan.loggedIn ?? 0)) await device.signup(device.name, `${device.name}-password`);
    await device.viewCart();
  }
  const startedAt = performance.now();
  const last = plan.faults.at(-1);
  // A node is back when it answers a request; a store, once every node has served a request that
  // needs it: one node can take longer than another to find it again (under Docker, connections a
  // node opened while the store was gone wait out their timeout), and a load that ended at the
  // first success would leave the last word to the node still failing.
  const nodes = appServices(lab.running.topology).map((s) => s.name);
  const lastIsNode = nodes.includes(last?.target ?? '');
  const servedAfterFaults = new Set<string>();
  const isBack = (op: ShopOp) => {
    if (plan.backWhenServedBy) return op.servedBy === plan.backWhenServedBy && op.type === 'ok';
    if (lastIsNode) return last?.target === op.servedBy;
    if (op.type === 'ok' && op.servedBy) servedAfterFaults.add(op.servedBy);
    return nodes.every((node) => servedAfterFaults.has(node));
  };
  let faultsDone = false;
  let faultsDoneAtMs: number | undefined;
  let lastServiceBack = last === undefined;
  // maxDurationMs counts as if the faults took the time planned for them: one that runs longer (a
  // container's restart under Docker, on a busy machine) does not eat the time left to see its
  // service back. Bounded all the same.
  const goOn = () => {
    const elapsedMs = performance.now() - startedAt;
    const overrunMs = Math.max(0, (faultsDoneAtMs ?? elapsedMs) - (last?.atMs ?? 0));
    const deadlineMs = plan.maxDurationMs + Math.min(overrunMs, faultOverrunLimitMs);
    return elapsedMs < plan.durationMs || (elapsedMs < deadlineMs && !lastServiceBack);
  };
  const write = async (device: (typeof devices)[number]) => {
    // A cart holds 50 lines: the same 40 skus come round again, adding to their quantities.
    for (let n = 0; goOn(); n++) {
      const op = await device.add(`item-${n % 40}`);
      if (faultsDone && isBack(op)) lastServiceBack = true;
      if (op.type !== 'ok') await sleep(failedWriteBackoffMs);
      for (let v = 0; v < (plan.viewsPerAdd ?? 0); v++) await device.viewCart();
    }
    await device.viewCart();
  };
  const faults = async () => {
    for (const { atMs, fault, target, afterStoreAnswersOn } of plan.faults) {
      await sleep(Math.max(0, startedAt + atMs - performance.now()));
      if (afterStoreAnswersOn) await untilStoreAnswers(lab, afterStoreAnswersOn, startedAt + plan.maxDurationMs);
      await lab.fault(fault, target);
    }
    faultsDone = true;
    faultsDoneAtMs = performance.now() - startedAt;
  };
  await Promise.all([...devices.map(write), faults()]);
}

/**
 * Devices write without pause (each a new sku after the other, as writeUnderFaults's do) for as
 * long as work runs (faults, waits), then each reads its cart once more.
 */
export async function writeWhile(lab: Lab, writers: number, work: () => Promise<void>): Promise<void> {
  const devices = Array.from({ length: writers }, (_, i) => shopDevice(lab, `device-${String(i + 1).padStart(2, '0')}`));
  let writing = true;
  const write = async (device: (typeof devices)[number]) => {
    for (let n = 0; writing; n++) {
      const op = await device.add(`item-${n % 40}`);
      if (op.type !== 'ok') await sleep(failedWriteBackoffMs);
    }
    await device.viewCart();
  };
  const load = Promise.all(devices.map(write));
  try {
    await work();
  } finally {
    writing = false;
    await load;
  }
}
