import type { RunningTopology } from '../backend.ts';
import { BalancerError } from '../balancer.ts';
import { spareNodes } from '../topology.ts';
import { missingCapability } from './missing-capability.ts';

/**
 * `scale-out [node]`: a node held back in the topology (profiles: ["scale-out"]) starts, and once
 * it answers the balancer lists it too, reloaded gracefully: no request in flight is dropped.
 * Without a target, the first spare node the balancer does not list yet.
 */
export async function scaleOut(running: RunningTopology, target: string): Promise<void> {
  if (!running.balancer) throw missingCapability('scale out', running.topology.name);
  const listed = running.balancer.nodes();
  const node = target.trim() || spareNodes(running.topology).find((s) => !listed.includes(s.name))?.name;
  if (!node) throw new BalancerError(`${running.topology.name} has no spare node left to add (a node with profiles: ["scale-out"])`);
  if (listed.includes(node)) throw new BalancerError(`${node} is already behind the balancer`);
  await running.service(node).start();
  await running.balancer.setNodes([...listed, node]);
}
