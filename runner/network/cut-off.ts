// The one nftables table of the network faults, the same inside a local run's namespaces and inside a
// container's: a set of peer addresses whose packets are dropped, both ways, without an answer (a
// connect hangs until its timeout, as across a real partition; a reject would fail it at once).
import { execFile } from 'node:child_process';
import { findBinary } from '../binaries.ts';

const table = 'session_lab';
const set = 'cut_off';

/**
 * The ruleset that makes the table drop exactly these addresses, applied as one atomic nft
 * transaction: whatever the table held before (or nothing) is replaced, so applying it again is safe.
 */
export function cutOffRuleset(addresses: readonly string[]): string {
  const elements = addresses.length > 0 ? ` elements = { ${addresses.join(', ')} };` : '';
  return [
    `add table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    `  set ${set} { type ipv4_addr;${elements} }`,
    `  chain input { type filter hook input priority 0; policy accept; ip saddr @${set} drop; }`,
    `  chain output { type filter hook output priority 0; policy accept; ip daddr @${set} drop; }`,
    '}',
    '',
  ].join('\n');
}

/** How to run a command inside one network namespace (nsenter's arguments before the command). */
export type NamespaceEntry = readonly string[];

/** Feeds a ruleset to nft inside a namespace; an error carries nft's own message. */
export async function nftIn(entry: NamespaceEntry, ruleset: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(findBinary('nsenter'), [...entry, '--', findBinary('nft'), '-f', '-'], { timeout: 10_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`nft failed: ${stderr.trim() || err.message}`)) : resolve(),
    );
    child.stdin?.end(ruleset);
  });
}

/**
 * Why this machine cannot cut services apart, or undefined when it can: both backends write the
 * rules into network namespaces from the host, as root, with ip, nsenter and nft.
 */
export function networkFaultsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'making network namespaces and nftables rules needs root';
  for (const binary of ['ip', 'nsenter', 'nft']) {
    try {
      findBinary(binary);
    } catch {
      return `${binary} is missing (npm run setup installs nftables; ip and nsenter come with iproute2 and util-linux)`;
    }
  }
  return undefined;
}
