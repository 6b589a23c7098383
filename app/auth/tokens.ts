// Session tokens: 32 random bytes, base64url. The database keeps only their SHA-256, so a copy
// of the table logs nobody in.
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token as newToken makes them: anything else is refused without asking the database. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
