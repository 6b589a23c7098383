// A node or the plain peer started beside a running topology's server_1, with its environment
// (same store, same addresses) and some variables changed: the benchmark's node variants and
// peers, and the profile's pair.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { LocalTopology } from '../runner/local/backend.ts';
import { freePort } from '../runner/free-port.ts';
import { spawnManaged } from '../runner/processes.ts';
import { AppNode } from '../runner/servers/app-node.ts';
import { ProcessService } from '../runner/servers/process-service.ts';
import { makeTempDir } from '../runner/temp-dir.ts';
import { projectRoot } from '../runner/topology.ts';

/**
 * A database of its own on the PostgreSQL server of databaseUrl, named after a case: a case that
 * writes on every read (touch) leaves dead rows behind, and in a shared table those slowed every
 * other case's reads until vacuumed.
 */
async function ownDatabase(databaseUrl: string, slug: string): Promise<string> {
  const name = `bench_${slug.replace(/[^a-z0-9]+/g, '_')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.href;
}

export interface BesideOptions {
  /** The plain Express + express-session peer (bench/peer-server.ts) instead of a node. */
  peer?: boolean;
  /** Node.js options before the entry point (the profile's --cpu-prof). */
  nodeArgs?: string[];
}

export interface Beside {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * One more process beside a topology's server_1, with its environment (same store, same
 * addresses; a PostgreSQL database of its own, files in a directory of its own) and these
 * variables changed: a node (CART_MODE=session, SESSION_TOUCH_AFTER_SECONDS=0) or the peer.
 */
export async function startBeside(topology: LocalTopology, name: string, changes: Record<string, string>, options: BesideOptions = {}): Promise<Beside> {
  const { peer = false, nodeArgs = [] } = options;
  const port = await freePort();
  const slug = name.replaceAll(' ', '-');
  const own = topology.environment('server_1');
  if (own.DATABASE_URL) own.DATABASE_URL = await ownDatabase(own.DATABASE_URL, slug);
  const files = await makeTempDir(slug);
  const log = createWriteStream(join(files.path, 'node.log'));
  const environment = { ...own, NODE_NAME: slug, PORT: String(port), SESSION_FILE_DIR: join(files.path, 'sessions'), ...changes };
  const url = `http://127.0.0.1:${port}`;
  const server = peer
    ? new ProcessService({
        name: slug,
        port,
        launch: async () =>
          spawnManaged(slug, process.execPath, [...nodeArgs, '--import', 'tsx', join(projectRoot, 'bench', 'peer-server.ts')], {
            cwd: projectRoot,
            env: { PATH: process.env.PATH ?? '', ...environment },
          }),
        ready: async () => (await fetch(`${url}/healthz`)).arrayBuffer(),
      })
    : // Its log lines come to this process through a pipe, as a topology's nodes' do.
      new AppNode({ name: slug, port, environment, nodeArgs, cwd: projectRoot, output: (chunk) => log.write(chunk) });
  const stop = async () => {
    await server.stop();
    await new Promise((resolve) => log.end(resolve));
    await files.remove();
  };
  try {
    await server.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, stop };
}
