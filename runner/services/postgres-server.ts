import { execFileSync } from 'node:child_process';
import { chown, mkdir, readdir } from 'node:fs/promises';
import pg from 'pg';
import { findBinary } from '../binaries.ts';
import { spawnManaged, spawned, type ManagedProcess } from '../processes.ts';
import { waitUntilReady } from './wait.ts';

export interface PostgresServerOptions {
  port: number;
  /** The cluster's data directory; created with initdb on first start. */
  dataDir: string;
  /** The superuser initdb creates, like the official image's POSTGRES_USER (default postgres). */
  user?: string;
  /** A database created on first start, like POSTGRES_DB (default: the user's name). */
  database?: string;
  output?: (chunk: Buffer) => void;
  /** Working directory of the process (the lab runs each service in its own directory of the run). */
  cwd?: string;
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

/**
 * A real PostgreSQL server on 127.0.0.1 (TCP only, trust authentication, durability traded for
 * speed: it holds lab sessions, not money). Stop and start keep the data directory.
 */
export class PostgresServer {
  private process: ManagedProcess | undefined;

  constructor(readonly options: PostgresServerOptions) {}

  private get user(): string {
    return this.options.user ?? 'postgres';
  }

  private get database(): string {
    return this.options.database ?? this.user;
  }

  get url(): string {
    return `postgres://${encodeURIComponent(this.user)}@127.0.0.1:${this.options.port}/${encodeURIComponent(this.database)}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** initdb on an empty data directory; true when it ran. */
  private async initIfNeeded(user: { uid: number; gid: number } | undefined): Promise<boolean> {
    const { dataDir } = this.options;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if ((await readdir(dataDir)).length > 0) return false;
    if (user) await chown(dataDir, user.uid, user.gid);
    let said = '';
    const initdb = spawnManaged('initdb', findBinary('initdb'), ['-D', dataDir, '-U', this.user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
      ...user,
      cwd: this.options.cwd,
      output: (chunk) => (said += chunk.toString()),
    });
    await spawned(initdb);
    const code = await initdb.exited;
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${said.trim().split('\n').at(-1)}`);
    return true;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const user = postgresUser();
    const initialised = await this.initIfNeeded(user);
    const { port, dataDir, output } = this.options;
    const settings = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: '',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '100',
    };
    const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const managed = spawnManaged('postgres', findBinary('postgres'), args, {
      ...user,
      cwd: this.options.cwd,
      stopSignal: 'SIGINT', // fast shutdown: SIGTERM would wait for every pooled client to leave
      output,
    });
    this.process = managed;
    await spawned(managed);
    await waitUntilReady(`postgres on port ${port}`, () => this.query('SELECT 1', 'postgres'), managed);
    if (initialised && this.database !== 'postgres') {
      await this.query(`CREATE DATABASE "${this.database.replaceAll('"', '""')}"`, 'postgres');
    }
  }

  /** Runs one statement on a short-lived connection (to the lab database unless told). */
  async query(sql: string, database = this.database): Promise<pg.QueryResult> {
    const url = new URL(this.url);
    url.pathname = `/${encodeURIComponent(database)}`;
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 1000 });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  async kill(): Promise<void> {
    this.process?.signal('SIGKILL');
    await this.process?.exited;
  }
}
