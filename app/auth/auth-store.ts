// Every statement on the login tables. A user's cart changes under a lock on the user's row, so
// two devices adding at once both count and the cart's limits hold.
import type pg from 'pg';
import { addToCart, mergeCarts } from '../carts/cart-store.ts';
import type { CartLine } from '../contract.ts';

export interface User {
  id: string;
  username: string;
}

export interface UserSession {
  id: string;
  userId: string;
  username: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  device: string;
  createdWith: 'signup' | 'login';
  revokedAt: Date | null;
  /**
   * expires_at is past by PostgreSQL's clock: the one that wrote it. A node comparing it with its
   * own clock would let a login live on wherever that clock is behind (see clock-skew-token).
   */
  expired: boolean;
}

export class UsernameTakenError extends Error {}

const sessionColumns = `s.id, s.user_id AS "userId", u.username, s.created_at AS "createdAt", s.expires_at AS "expiresAt",
  s.last_seen_at AS "lastSeenAt", s.device, s.created_with AS "createdWith", s.revoked_at AS "revokedAt", s.expires_at <= now() AS expired`;

export class AuthStore {
  constructor(readonly pool: pg.Pool) {}

  async createUser(username: string, passwordHash: string): Promise<User> {
    try {
      const { rows } = await this.pool.query<User>('INSERT INTO users (username, password_hash) VALUES ($1, $2) RETURNING id::text, username', [username, passwordHash]);
      return rows[0]!;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new UsernameTakenError(username);
      throw err;
    }
  }

  async findUser(username: string): Promise<(User & { passwordHash: string }) | undefined> {
    const { rows } = await this.pool.query<User & { passwordHash: string }>(
      'SELECT id::text, username, password_hash AS "passwordHash" FROM users WHERE username = $1',
      [username],
    );
    return rows[0];
  }

  async createSession(userId: string, tokenHash: Buffer, ttlSeconds: number, device: string, createdWith: 'signup' | 'login'): Promise<UserSession> {
    const { rows } = await this.pool.query<UserSession>(
      `WITH s AS (
         INSERT INTO user_sessions (user_id, token_hash, expires_at, device, created_with)
         VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5) RETURNING *)
       SELECT ${sessionColumns} FROM s JOIN users u ON u.id = s.user_id`,
      [userId, tokenHash, ttlSeconds, device, createdWith],
    );
    return rows[0]!;
  }

  async findSession(tokenHash: Buffer): Promise<UserSession | undefined> {
    const { rows } = await this.pool.query<UserSession>(`SELECT ${sessionColumns} FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, [tokenHash]);
    return rows[0];
  }

  /**
   * Marks a session as seen, at most once per everySeconds (a write per request would cost more
   * than the check itself), and with sliding expiry extends it by the TTL.
   */
  async touchSession(id: string, everySeconds: number, slidingTtlSeconds: number | undefined): Promise<void> {
    await this.pool.query(
      `UPDATE user_sessions SET last_seen_at = now(),
         expires_at = CASE WHEN $2::int IS NULL THEN expires_at ELSE now() + make_interval(secs => $2::int) END
       WHERE id = $1 AND revoked_at IS NULL AND last_seen_at < now() - make_interval(secs => $3)`,
      [id, slidingTtlSeconds ?? null, everySeconds],
    );
  }

  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [sessionId, userId]);
    return rowCount === 1;
  }

  async revokeAllSessions(userId: string): Promise<number> {
    const { rowCount } = await this.pool.query('UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    return rowCount ?? 0;
  }

  /** The user's sessions that still let someone in. */
  async activeSessions(userId: string): Promise<UserSession[]> {
    const { rows } = await this.pool.query<UserSession>(
      `SELECT ${sessionColumns} FROM user_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() ORDER BY s.created_at`,
      [userId],
    );
    return rows;
  }

  async cart(userId: string): Promise<CartLine[]> {
    const { rows } = await this.pool.query<CartLine>('SELECT sku, qty FROM cart_items WHERE user_id = $1 ORDER BY added_at, sku', [userId]);
    return rows;
  }

  /**
   * Runs work in a transaction that holds the user's row locked: one user's cart changes queue up
   * behind each other, so the limits (checked on the cart as the transaction reads it) hold
   * however many devices add at once. Reads inside see every change committed before the lock.
   */
  private async withCartLocked<T>(userId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async cartIn(client: pg.PoolClient, userId: string): Promise<CartLine[]> {
    const { rows } = await client.query<CartLine>('SELECT sku, qty FROM cart_items WHERE user_id = $1 ORDER BY added_at, sku', [userId]);
    return rows;
  }

  /** Adds qty of sku and answers the cart; a refused add (a limit) throws the cart's 400. */
  async addToCart(userId: string, sku: string, qty: number): Promise<CartLine[]> {
    return this.withCartLocked(userId, async (client) => {
      const cart = addToCart(await this.cartIn(client, userId), sku, qty);
      await client.query(
        `INSERT INTO cart_items (user_id, sku, qty) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, sku) DO UPDATE SET qty = cart_items.qty + EXCLUDED.qty`,
        [userId, sku, qty],
      );
      return cart;
    });
  }

  async removeFromCart(userId: string, sku: string): Promise<void> {
    await this.pool.query('DELETE FROM cart_items WHERE user_id = $1 AND sku = $2', [userId, sku]);
  }

  /**
   * Folds an anonymous cart into the user's: quantities add up to the per-line limit, and lines
   * beyond the line limit are left out (a login never fails for a cart).
   */
  async mergeCart(userId: string, lines: readonly CartLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.withCartLocked(userId, async (client) => {
      const merged = mergeCarts(await this.cartIn(client, userId), lines);
      await client.query(
        `INSERT INTO cart_items (user_id, sku, qty)
         SELECT $1, sku, qty FROM unnest($2::text[], $3::int[]) AS l (sku, qty)
         ON CONFLICT (user_id, sku) DO UPDATE SET qty = EXCLUDED.qty`,
        [userId, merged.map((l) => l.sku), merged.map((l) => l.qty)],
      );
    });
  }

  async recentFailures(username: string, address: string, windowSeconds: number): Promise<{ pair: number; address: number }> {
    const { rows } = await this.pool.query<{ pair: number; address: number }>(
      `SELECT count(*) FILTER (WHERE username = $1)::int AS pair, count(*)::int AS address
       FROM login_failures WHERE address = $2 AND failed_at > now() - make_interval(secs => $3)`,
      [username, address, windowSeconds],
    );
    return rows[0]!;
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await this.pool.query('INSERT INTO login_failures (username, address) VALUES ($1, $2)', [username, address]);
  }

  async clearFailures(username: string, address: string): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE username = $1 AND address = $2', [username, address]);
  }

  /**
   * Deletes sessions that expired or were revoked more than graceSeconds ago (until then a request
   * with one still hears "session expired" or "session revoked"), and old login failures.
   */
  async sweep(graceSeconds: number, failureWindowSeconds: number): Promise<{ sessions: number; failures: number }> {
    const sessions = await this.pool.query(
      `DELETE FROM user_sessions WHERE expires_at < now() - make_interval(secs => $1) OR revoked_at < now() - make_interval(secs => $1)`,
      [graceSeconds],
    );
    const failures = await this.pool.query('DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1)', [failureWindowSeconds]);
    return { sessions: sessions.rowCount ?? 0, failures: failures.rowCount ?? 0 };
  }
}
