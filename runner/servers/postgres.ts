import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, chown, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findBinary } from '../binaries.ts';
import { spawnManaged, spawned } from '../processes.ts';
import { makeTempDir } from '../temp-dir.ts';
import { ProcessService } from './process-service.ts';

export interface PostgresServerOptions {
  port: number;
  /** The address it listens on and is reached at (127.0.0.1). */
  host?: string;
  /** A network namespace to run in (see ManagedOptions.netns). */
  netns?: string;
  /** The cluster's data directory; created with initdb on first start. */
  dataDir: string;
  /** The superuser initdb creates, like the official image's POSTGRES_USER (default postgres). */
  user?: string;
  /** A database created on first start, like POSTGRES_DB (default: the user's name). */
  database?: string;
  output?: (chunk: Buffer) => void;
  /** Working directory of the process (the lab runs each service in its own directory of the run). */
  cwd?: string;
  /** The service's name in logs and errors. */
  name?: string;
  /** Server settings on top of the lab's (`-c name=value`, as a compose command gives them: max_connections). */
  settings?: Record<string, string>;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, PostgreSQL needs the `postgres` system user (created by `apt-get install postgresql`)');
  }
}

async function initdb(dataDir: string, superuser: string, user: { uid: number; gid: number } | undefined, cwd: string | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  let said = '';
  const run = spawnManaged('initdb', findBinary('initdb'), ['-D', dataDir, '-U', superuser, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    ...user,
    cwd,
    output: (chunk) => (said += chunk.toString()),
  });
  await spawned(run);
  const code = await run.exited;
  if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${said.trim().split('\n').at(-1)}`);
}

/**
 * initdb takes about two seconds; copying its result a tenth of that. So it runs once per process
 * and superuser, into a template removed when the process exits, and each new cluster is a copy
 * (cp -a keeps the postgres user's ownership and the 0700 modes).
 */
const templates = new Map<string, Promise<string>>();

function template(superuser: string, user: { uid: number; gid: number } | undefined): Promise<string> {
  let made = templates.get(superuser);
  if (!made) {
    made = (async () => {
      const dir = await makeTempDir('postgres-template');
      process.once('exit', () => rmSync(dir.path, { recursive: true, force: true }));
      const dataDir = `${dir.path}/data`;
      await initdb(dataDir, superuser, user, dir.path);
      return dataDir;
    })();
    // A failed initdb is not kept: the next start tries again and reports its own error.
    made.catch(() => templates.delete(superuser));
    templates.set(superuser, made);
  }
  return made;
}

/** A new cluster in an empty data directory, copied from the template; true when it was made. */
async function initIfNeeded(options: PostgresServerOptions, user: { uid: number; gid: number } | undefined): Promise<boolean> {
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if ((await readdir(dataDir)).length > 0) return false;
  const source = await template(options.user ?? 'postgres', user);
  await promisify(execFile)('cp', ['-a', `${source}/.`, dataDir]);
  if (user) await chown(dataDir, user.uid, user.gid);
  return true;
}

/**
 * A real PostgreSQL server on 127.0.0.1 unless told otherwise (TCP only, trust authentication, durability traded for
 * speed: it holds lab sessions, not money). Stop and start keep the data directory; the first
 * start runs initdb and creates the database.
 */
export class PostgresServer extends ProcessService {
  constructor(readonly options: PostgresServerOptions) {
    const { port, dataDir, output, cwd } = options;
    let created = false;
    super({
      name: options.name ?? `postgres on port ${port}`,
      port,
      launch: async () => {
        if (cwd) await mkdir(cwd, { recursive: true });
        const user = postgresUser();
        created = await initIfNeeded(options, user);
        if (options.host && options.host !== '127.0.0.1') await trustSubnet(dataDir);
        const settings = {
          listen_addresses: options.host ?? '127.0.0.1',
          port: String(port),
          unix_socket_directories: '',
          // Speed over durability against the machine's crash, never the server's: the lab's
          // data lives for one run. A commit is acknowledged once the kernel has it, not the
          // disk, so a kill -9 of the server loses nothing it acknowledged, as with the official
          // image under compose (store-crash checks exactly that). A topology that needs a
          // slower commit says so in its compose command (redirect-before-save).
          fsync: 'off',
          synchronous_commit: 'on',
          full_page_writes: 'off',
          max_connections: '100',
          ...options.settings,
        };
        const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
        return spawnManaged('postgres', findBinary('postgres'), args, {
          ...user,
          cwd,
          stopSignal: 'SIGINT', // fast shutdown: SIGTERM would wait for every pooled client to leave
          output,
          netns: options.netns,
        });
      },
      ready: async () => {
        await runQuery(postgresUrl(options, 'postgres'), 'SELECT 1');
        const database = databaseOf(options);
        if (created && database !== 'postgres') {
          await runQuery(postgresUrl(options, 'postgres'), `CREATE DATABASE "${database.replaceAll('"', '""')}"`);
        }
        created = false;
      },
    });
  }

  get url(): string {
    return postgresUrl(this.options);
  }

  /** Runs one statement on a short-lived connection to the lab database. */
  query(sql: string): Promise<pg.QueryResult> {
    return runQuery(this.url, sql);
  }
}

/**
 * initdb's pg_hba.conf lets in loopback only; on an address of its own (a run's namespace) the
 * server also lets in its subnet, as the official image lets in every host.
 */
async function trustSubnet(dataDir: string): Promise<void> {
  const file = join(dataDir, 'pg_hba.conf');
  const line = 'host all all samenet trust';
  if (!(await readFile(file, 'utf8')).includes(line)) await appendFile(file, `\n${line}\n`);
}

function databaseOf(options: PostgresServerOptions): string {
  return options.database ?? options.user ?? 'postgres';
}

function postgresUrl(options: PostgresServerOptions, database = databaseOf(options)): string {
  return `postgres://${encodeURIComponent(options.user ?? 'postgres')}@${options.host ?? '127.0.0.1'}:${options.port}/${encodeURIComponent(database)}`;
}

async function runQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
