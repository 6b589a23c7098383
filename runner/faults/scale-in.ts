import type { RunningTopology } from '../backend.ts';
import { BalancerError } from '../balancer.ts';
import { missingCapability } from './missing-capability.ts';

/**
 * `scale-in <node>`: the node is drained, then removed. The balancer stops listing it (a graceful
 * reload: requests already sent to it finish), then it stops gracefully, finishing its own.
 * `scale-in <node> hard`: it is killed first and only then taken off the list, as when a machine
 * goes away under a balancer that has not heard yet: what it held, and what is sent to it before
 * the reload, fails.
 */
export async function scaleIn(running: RunningTopology, target: string): Promise<void> {
  if (!running.balancer) throw missingCapability('scale in', running.topology.name);
  const [node = '', how = 'drain', ...rest] = target.trim().split(/\s+/);
  if (!node || rest.length > 0 || (how !== 'drain' && how !== 'hard')) throw new BalancerError(`scale-in takes a node and optionally "hard": "server_3" or "server_3 hard" (got "${target}")`);
  const listed = running.balancer.nodes();
  if (!listed.includes(node)) throw new BalancerError(`${node} is not behind the balancer (it lists ${listed.join(', ')})`);
  const remaining = listed.filter((n) => n !== node);
  const control = running.service(node);
  if (how === 'hard') {
    if (!control.kill) throw missingCapability('kill', node);
    await control.kill();
    await running.balancer.setNodes(remaining);
  } else {
    await running.balancer.setNodes(remaining);
    await control.stop();
  }
}
