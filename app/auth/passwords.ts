// Passwords hashed with scrypt, Node's built-in memory-hard KDF. The parameters travel with each
// hash ("scrypt$N$r$p$salt$hash"), so they can be raised later without breaking old hashes.
// N=2^15, r=8 (32 MiB, about 60 ms here): below OWASP's 2^17, a trade-off for a lab whose tests
// and scenarios log in often; raise costN for anything real.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const costN = 2 ** 15;
const blockSize = 8;
const parallelization = 1;
const keyBytes = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? costN) * (options.r ?? blockSize);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: costN, r: blockSize, p: parallelization });
  return ['scrypt', costN, blockSize, parallelization, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** A hash of nothing in particular: checking an unknown user's password against it takes as long as a real check. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
