// What a `lab up` on the local backend tells other lab processes: .lab/up/<topology>.json names
// its runner, the topology's balancer and run directory, and where its control server listens. A
// `lab run` of the same topology attaches to it (remote.ts); a record whose runner is gone is
// removed by whoever reads it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningTopology } from '../backend.ts';
import { formatOwner, ownerAlive, parseOwner, thisRunner } from '../run-owner.ts';
import { projectRoot } from '../topology.ts';
import { offeredMethods, type ServiceMethod } from './server.ts';

export const upDir = join(projectRoot, '.lab', 'up');

export interface UpRecord {
  topology: string;
  /** `<pid>:<startTicks>:<pidns>` of the `lab up` that keeps it up (see run-owner.ts). */
  runner: string;
  balancerUrl: string;
  runDir: string;
  /** The control server's call URL (its token in the path: the file is readable by its owner only). */
  control: string;
  /** Whether the topology has a network of its own (partitions). */
  network: boolean;
  /** What each service can be asked to do. */
  methods: Record<string, ServiceMethod[]>;
}

const recordFile = (topology: string) => join(upDir, `${topology}.json`);

/** Writes this process's record for a topology it keeps up; removed when this process exits. */
export function writeUpRecord(running: RunningTopology, control: string): () => void {
  const record: UpRecord = {
    topology: running.topology.name,
    runner: formatOwner(thisRunner),
    balancerUrl: running.balancerUrl,
    runDir: running.runDir,
    control,
    network: running.network !== undefined,
    methods: Object.fromEntries(running.topology.services.map((s) => [s.name, offeredMethods(running.service(s.name))])),
  };
  const file = recordFile(record.topology);
  mkdirSync(upDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  const remove = () => {
    // Only our own: another `lab up` of the topology may have written its record since.
    if (readUpRecord(record.topology)?.runner === record.runner) rmSync(file, { force: true });
  };
  process.once('exit', remove);
  return remove;
}

function readUpRecord(topology: string): UpRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(topology), 'utf8')) as UpRecord;
  } catch {
    return undefined;
  }
}

/** The record of a `lab up` of this topology that still runs, if any (a dead one's is removed). */
export function liveUpRecord(topology: string): UpRecord | undefined {
  const record = readUpRecord(topology);
  if (!record) return undefined;
  const owner = parseOwner(record.runner);
  if (owner && ownerAlive(owner)) return record;
  rmSync(recordFile(topology), { force: true });
  return undefined;
}
