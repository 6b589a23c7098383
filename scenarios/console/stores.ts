// What each store holds now, as the store counts it: every app node that is up is asked
// (GET /debug/sessions, straight to the node). A shared store (Redis, PostgreSQL) answers the same
// to every node and is shown once; a node's own files or heap are shown per node, which is how
// the console shows that server_2's directory lacks server_1's sessions.
import type { RunningTopology } from '../../runner/backend.ts';
import { withTimeout } from '../../lib/time.ts';

export interface StoreCount {
  /** What the count is of: "redis redis:6379", "server_1's files". */
  label: string;
  store: string;
  sessions: number | null;
}

interface NodeAnswer {
  node: string;
  store: string;
  target: string;
  sessions: number | null;
}

/** Counts from each node that is up; a node that does not answer in time is left out this round. */
export async function storeCounts(running: RunningTopology, nodes: readonly string[], timeoutMs = 1500): Promise<StoreCount[]> {
  const answers = await Promise.all(
    nodes.map(async (node) => {
      try {
        const answer = await withTimeout(running.probe(node, '/debug/sessions'), timeoutMs, `${node} /debug/sessions`);
        return answer.status === 200 ? (answer.body as NodeAnswer) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return groupCounts(answers.filter((a): a is NodeAnswer => a !== undefined));
}

/** One entry per shared store, one per node for a store of its own. */
export function groupCounts(answers: readonly NodeAnswer[]): StoreCount[] {
  const counts = new Map<string, StoreCount>();
  for (const answer of answers) {
    const own = answer.store === 'memory' || answer.store === 'file';
    const label = own ? `${answer.node}'s ${answer.store === 'file' ? 'files' : 'memory'}` : answer.store === 'cookie' ? 'cookies (no store)' : `${answer.store} ${answer.target}`;
    if (!counts.has(label)) counts.set(label, { label, store: answer.store, sessions: answer.sessions });
  }
  return [...counts.values()].sort((a, b) => a.label.localeCompare(b.label));
}
