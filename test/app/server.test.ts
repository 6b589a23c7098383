// The node as a process, the way npm start, the runner and Docker run it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startNodeProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
    env: { PATH: process.env.PATH, NODE_NAME: 'server_1', PORT: '0', ...env },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const listening = async () => {
    for (;;) {
      const match = /listening on port (\d+)/.exec(stdout);
      if (match) return Number(match[1]);
      if (child.exitCode !== null) throw new Error(`exited early: ${stderr}`);
      await sleep(20);
    }
  };
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe('the node process', () => {
  it.each([
    [{}, 'SESSION_SECRET is required'],
    [{ SESSION_SECRET: 's', SESSION_STORE: 'mongo' }, 'SESSION_STORE must be one of memory, file, redis, postgres, cookie (got "mongo")'],
    [{ SESSION_SECRET: 's', PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535 (got "eighty")'],
  ])('refuses to start with %j: exit 1 and one line naming the variable', async (env, message) => {
    const node = startNodeProcess(env);
    expect(await node.exited).toBe(1);
    const { stderr, stdout } = node.output();
    expect(stderr.startsWith(`session-lab: ${message}`)).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('warns once, not once per session middleware, about MemoryStore in production', async () => {
    const node = startNodeProcess({ SESSION_SECRET: 's', NODE_ENV: 'production' });
    await node.listening();
    const { stdout, stderr } = node.output();
    expect(`${stdout}${stderr}`.match(/MemoryStore is not/g)).toHaveLength(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops accepting, finishes the request in flight, and exits 0', async (signal) => {
    const node = startNodeProcess({ SESSION_SECRET: 's' });
    const port = await node.listening();
    const body = JSON.stringify({ sku: 'apple', qty: 1 });
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    socket.write(`POST /cart/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.slice(0, 5));
    await sleep(100);

    node.child.kill(signal);
    await sleep(200);
    expect(node.child.exitCode).toBe(null);
    // A new connection is refused while the old request is still being served.
    const refused = connect({ host: '127.0.0.1', port });
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');

    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.end(body.slice(5));
    await once(socket, 'close');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"items":[{"sku":"apple","qty":1}]');
    expect(await node.exited).toBe(0);
    expect(node.output().stdout).toContain(`server_1 ${signal}: stopping`);
    expect(node.output().stdout).toContain('server_1 stopped');
  });
});
