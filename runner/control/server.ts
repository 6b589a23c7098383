// A running topology, driven from another lab process: `lab up` serves this on 127.0.0.1 under a
// random token, so that a `lab run` in another terminal can attach to the topology it keeps up
// (remote.ts) instead of starting its own. One route, POST /<token>/call, takes one operation as
// JSON and answers its result; anything else answers 404.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceControlMethods, type RunningTopology, type ServiceControl, type ServiceControlMethod } from '../backend.ts';
import type { Partition } from '../network/partitions.ts';

/** The service methods another process may call (every one a ServiceControl has), their arguments as JSON. */
export type ServiceMethod = ServiceControlMethod;

export type ControlCall =
  | { op: 'service'; service: string; method: ServiceMethod; args?: unknown[] }
  | { op: 'probe'; service: string; path: string }
  | { op: 'partition'; partition: Partition }
  | { op: 'heal' };

export interface ControlServer {
  /** http://127.0.0.1:<port>/<token>/call */
  url: string;
  close(): Promise<void>;
}

/** A call's body is at most this many bytes (a redeploy's variables at most). */
const maxBodyBytes = 100_000;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`a call is at most ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function perform(running: RunningTopology, call: ControlCall): Promise<unknown> {
  switch (call.op) {
    case 'probe':
      return running.probe(call.service, call.path);
    case 'partition':
    case 'heal': {
      if (!running.network) throw new Error('this topology runs without a network of its own: no partitions');
      return call.op === 'heal' ? running.network.heal() : running.network.partition(call.partition);
    }
    case 'service': {
      if (!serviceControlMethods.includes(call.method)) throw new Error(`unknown service method "${String(call.method)}"`);
      const control = running.service(call.service) as unknown as Record<ServiceMethod, ((...args: unknown[]) => Promise<unknown>) | undefined>;
      const method = control[call.method];
      if (!method) throw new Error(`${call.service} cannot ${call.method} here`);
      return method.apply(control, call.args ?? []);
    }
    default:
      throw new Error(`unknown operation "${String((call as { op?: unknown }).op)}"`);
  }
}

/** The methods a service offers here (another process asks once, to build its ServiceControl). */
export function offeredMethods(control: ServiceControl): ServiceMethod[] {
  return serviceControlMethods.filter((method) => typeof (control as unknown as Record<string, unknown>)[method] === 'function');
}

export async function serveControl(running: RunningTopology): Promise<ControlServer> {
  const token = randomBytes(18).toString('base64url');
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== `/${token}/call`) return answer(404, { error: 'not found' });
    readBody(req)
      .then(async (text) => answer(200, { result: (await perform(running, JSON.parse(text) as ControlCall)) ?? null }))
      .catch((err: unknown) => answer(400, { error: err instanceof Error ? err.message : String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}/call`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
