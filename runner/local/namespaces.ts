// A network of its own for one local run, so that the network faults can cut services apart: each
// service gets a network namespace with one address on a bridge, as on a compose network. The
// bridge lives in a namespace of the run too (the "hub"), so the host's firewall (Docker's FORWARD
// policy drops bridged traffic) never sees the run's packets, and the host reaches every service
// through one veth into the hub. Each run claims a /24 of 10.213.0.0/16 with a file under
// /run/session-lab/net/ naming its process; a run whose process is gone is removed by the next one.
import { execFile } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { MissingCapabilities } from '../backend.ts';
import { findBinary } from '../binaries.ts';
import { cutOffRuleset, networkFaultsUnavailable, nftIn } from '../network/cut-off.ts';
import { partitionedNetwork, type NetworkControl } from '../network/partitions.ts';
import { atTeardown } from '../processes.ts';

const claimsDir = '/run/session-lab/net';
const subnetPrefix = '10.213';
const execFileAsync = promisify(execFile);

export class NamespaceError extends Error {
  override name = 'NamespaceError';
}

async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(findBinary('ip'), args, { timeout: 10_000 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new NamespaceError(`ip ${args.join(' ')}: ${stderr || (err as Error).message}`);
  }
}

/** What the local backend lacks on this machine: network faults need namespaces. */
export function localNetworkLacks(): MissingCapabilities {
  const reason = networkFaultsUnavailable();
  return reason ? { 'network-faults': reason } : {};
}

const hubName = (n: number) => `sl-${n}`;
const namespaceName = (n: number, service: string) => `sl-${n}-${service}`;
const hostLink = (n: number) => `slh-${n}`;
const namespacePath = (name: string) => `/run/netns/${name}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes everything of subnet n: its processes, its namespaces (their veths go with them), the host's veth, the claim. */
async function removeSubnet(n: number): Promise<void> {
  const names = (await ip('netns', 'list'))
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name === hubName(n) || name.startsWith(`${hubName(n)}-`));
  for (const name of names) {
    // A killed runner's services may still run in them, cut off from everything: they go too.
    const pids = (await ip('netns', 'pids', name).catch(() => '')).split('\n').filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await ip('netns', 'delete', name).catch(() => {});
  }
  await ip('link', 'delete', hostLink(n)).catch(() => {});
  // Deleting a namespace tears its veths down asynchronously: the subnet is free once the host's end is gone.
  for (let i = 0; i < 50 && (await ip('-br', 'link', 'show', hostLink(n)).catch(() => '')) !== ''; i++) await sleep(20);
  await rm(join(claimsDir, String(n)), { force: true });
}

/** Removes what runs whose process is gone left behind (a runner killed with -9). */
export async function removeLeftoverNamespaces(): Promise<number[]> {
  const removed: number[] = [];
  for (const file of await readdir(claimsDir).catch(() => [])) {
    const n = Number(file);
    if (!Number.isInteger(n)) continue;
    const owner = Number((await readFile(join(claimsDir, file), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) continue;
    await removeSubnet(n);
    removed.push(n);
  }
  return removed;
}

/** Claims a free /24: one no interface of this machine has an address in, and no live run claimed. */
async function claimSubnet(): Promise<number> {
  await mkdir(claimsDir, { recursive: true });
  const used = await ip('-4', '-o', 'addr', 'show');
  const candidates = Array.from({ length: 256 }, (_, n) => n).sort(() => Math.random() - 0.5);
  for (const n of candidates) {
    if (used.includes(` ${subnetPrefix}.${n}.`)) continue;
    try {
      const claim = await open(join(claimsDir, String(n)), 'wx');
      await claim.writeFile(`${process.pid}\n`);
      await claim.close();
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new NamespaceError(`no free subnet in ${subnetPrefix}.0.0/16 (every /24 is claimed under ${claimsDir})`);
}

export interface RunNamespaces {
  /** Each service's address on the run's bridge. */
  readonly addresses: ReadonlyMap<string, string>;
  /** The path of the service's namespace, to run its process in (ManagedOptions.netns). */
  path(service: string): string;
  /** Partitions between the services. */
  readonly network: NetworkControl;
  /** Removes everything made for the run; safe to call more than once. */
  remove(): Promise<void>;
}

/** Makes the run's hub, one namespace per service with its address and an empty cut-off table. */
export async function createRunNamespaces(services: readonly string[]): Promise<RunNamespaces> {
  await removeLeftoverNamespaces();
  const n = await claimSubnet();
  const address = (i: number) => `${subnetPrefix}.${n}.${i}`;
  let removing: Promise<void> | undefined;
  const remove = () => (removing ??= removeSubnet(n));
  const takeBack = atTeardown(remove);
  const addresses = new Map(services.map((service, i) => [service, address(i + 2)]));
  try {
    const hub = hubName(n);
    await ip('netns', 'add', hub);
    await ip('-n', hub, 'link', 'add', 'bridge', 'type', 'bridge');
    await ip('-n', hub, 'link', 'set', 'bridge', 'up');
    await ip('link', 'add', hostLink(n), 'type', 'veth', 'peer', 'name', 'host', 'netns', hub);
    await ip('-n', hub, 'link', 'set', 'host', 'master', 'bridge', 'up');
    await ip('addr', 'add', `${address(1)}/24`, 'dev', hostLink(n));
    await ip('link', 'set', hostLink(n), 'up');
    await Promise.all(
      services.map(async (service, i) => {
        const name = namespaceName(n, service);
        const port = `p${i}`;
        await ip('netns', 'add', name);
        await ip('-n', hub, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
        await ip('-n', hub, 'link', 'set', port, 'master', 'bridge', 'up');
        await ip('-n', name, 'addr', 'add', `${addresses.get(service)}/24`, 'dev', 'eth0');
        await ip('-n', name, 'link', 'set', 'eth0', 'up');
        await ip('-n', name, 'link', 'set', 'lo', 'up');
        await nftIn([`--net=${namespacePath(name)}`], cutOffRuleset([]));
      }),
    );
  } catch (err) {
    await remove();
    takeBack();
    throw err;
  }
  const pathOf = (service: string) => {
    if (!addresses.has(service)) throw new NamespaceError(`no namespace for "${service}" in this run`);
    return namespacePath(namespaceName(n, service));
  };
  return {
    addresses,
    path: pathOf,
    network: partitionedNetwork((service, peers) => nftIn([`--net=${pathOf(service)}`], cutOffRuleset(peers.map((peer) => addresses.get(peer)!)))),
    remove: async () => {
      await remove();
      takeBack();
    },
  };
}
