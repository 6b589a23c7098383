// The sessions a load run takes turns with: request headers (a cookie, or an Authorization
// header) of visitors created beforehand through the node's own routes.
import { randomUUID } from 'node:crypto';
import { Device } from '../runner/http-client.ts';

/** Request headers of one visitor each. */
export type Identities = Record<string, string>[];

/**
 * Visitors are made by this many clients at once: one at a time, the full benchmark's pools (three
 * requests a visitor, 500 visitors per target and path) took most of two minutes to make.
 */
const poolClients = 8;

/** A pool of visitors, each with a session that holds a three-line cart. */
export async function sessionPool(url: string, size: number): Promise<Identities> {
  const client = async (count: number): Promise<Identities> => {
    const made: Identities = [];
    const device = new Device('pool', url);
    try {
      for (let i = 0; i < count; i++) {
        device.setCookie('lab_sid', undefined);
        for (const sku of ['seed-a', 'seed-b', 'seed-c']) {
          const answer = await device.post('/cart/items', { sku, qty: 1 });
          if (answer.status !== 200) throw new Error(`creating a session at ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
        }
        made.push({ cookie: device.cookieHeader! });
      }
    } finally {
      await device.close();
    }
    return made;
  };
  const shares = Array.from({ length: Math.min(poolClients, size) }, (_, i) => Math.floor(size / poolClients) + (i < size % poolClients ? 1 : 0));
  return (await Promise.all(shares.map(client))).flat();
}

/** Logged-in users, each with a bearer token (the token check and the DB cart on every request). */
export async function userPool(url: string, size: number): Promise<Identities> {
  const pool: Identities = [];
  const device = new Device('users', url);
  try {
    for (let i = 0; i < size; i++) {
      const username = `bench-${randomUUID().slice(0, 8)}-${i}`;
      const answer = await device.post('/signup', { username, password: 'bench password', device: 'bench' });
      if (answer.status !== 201) throw new Error(`signing up at ${url} answered ${answer.status}: ${answer.text}`);
      pool.push({ authorization: `Bearer ${(answer.body as { token: string }).token}` });
    }
  } finally {
    await device.close();
  }
  return pool;
}

