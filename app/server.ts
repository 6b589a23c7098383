// One node of the lab: config from the environment, the store opened (waiting for it if need
// be), the shop listening, and a graceful stop on SIGTERM/SIGINT. `npm start` runs this file;
// so do the lab runner and the Docker image.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.ts';
import { openAuth, type Auth } from './auth/index.ts';
import { ConfigError, loadConfig, redactUrl, type Config } from './config.ts';
import { describeError, stdoutLog, type Log } from './log.ts';
import { createPool } from './db.ts';
import { openProductCache, type ProductCache } from './product-cache.ts';
import { openStore, type OpenedStore } from './stores/index.ts';

/** How long in-flight requests get to finish before their connections are cut. */
const drainTimeoutMs = 10_000;

export interface RunningNode {
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(config: Readonly<Config>, log: Log = stdoutLog, signal?: AbortSignal): Promise<RunningNode> {
  // One pool per node for DATABASE_URL, shared by the PostgreSQL store and login.
  const pool = config.databaseUrl ? createPool(config.databaseUrl, log, config.databasePoolMax) : undefined;
  let opened: OpenedStore | undefined;
  let auth: Auth | undefined;
  let server: Server;
  let cache: ProductCache | undefined;
  try {
    cache = await openProductCache(config, log);
    opened = await openStore(config, log, signal, pool);
    auth = pool ? await openAuth(config, pool, log, signal) : undefined;
    server = createApp(config, opened, log, auth, cache).listen(config.port);
    // Node closes an idle connection after 5 s by default, while nginx keeps idle upstream
    // connections for its keepalive_timeout: the node must outlast the balancer (see Config).
    server.keepAliveTimeout = config.keepAliveTimeoutSeconds * 1000;
    server.headersTimeout = server.keepAliveTimeout + 1000;
    await once(server, 'listening');
  } catch (err) {
    await cache?.close();
    await auth?.close();
    await opened?.close();
    await pool?.end();
    throw err;
  }
  const store = opened;
  const { port } = server.address() as AddressInfo;
  const login = auth ? `, login on (users and tokens at ${redactUrl(config.databaseUrl!)})` : ', login off (no DATABASE_URL)';
  log(`${config.nodeName} listening on port ${port}, ${store.kind} session store at ${store.target}${login}`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections go as soon as they are idle; busy ones finish their request first.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      server.closeIdleConnections();
      await closed;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      await store.close().catch((err) => log(`${config.nodeName} closing the store: ${describeError(err)}`));
      await auth?.close();
      await cache?.close();
      await pool?.end().catch((err) => log(`${config.nodeName} closing the database pool: ${describeError(err)}`));
      log(`${config.nodeName} stopped`);
    })();
    return closing;
  };
  return { port, url: `http://127.0.0.1:${port}`, close };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`session-lab: ${err.message}\n`);
    process.exit(1);
  }

  const starting = new AbortController();
  let node: RunningNode | undefined;
  let stopping = false;
  const stop = (signalName: string) => {
    if (stopping) {
      stdoutLog(`${config.nodeName} ${signalName} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    stdoutLog(`${config.nodeName} ${signalName}: stopping`);
    starting.abort();
    if (!node) process.exit(0);
    node.close().then(
      () => process.exit(0),
      (err) => {
        stdoutLog(`${config.nodeName} stop failed: ${describeError(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    node = await startServer(config, stdoutLog, starting.signal);
  } catch (err) {
    if (stopping) return;
    process.stderr.write(`session-lab: ${config.nodeName} could not start: ${describeError(err)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
