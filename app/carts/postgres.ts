// Carts in PostgreSQL beside connect-pg-simple's sessions: one row per session whose sid
// references the session row, so the cart goes when the session row goes (destroy, expiry prune).
// Each change is one INSERT … ON CONFLICT DO UPDATE: PostgreSQL locks the session's cart row and
// evaluates the new quantities and the limits against its latest version, so concurrent adds
// queue up on that row instead of overwriting each other. Statements are named: each pooled
// connection prepares one once and then only binds values, so PostgreSQL neither parses nor plans
// it again (that was most of its work per cart read).
import type pg from 'pg';
import { maxCartLines, maxQtyPerLine, type CartLine } from '../contract.ts';
import { HttpError } from '../errors.ts';
import { cartRefused, type CartStore } from './cart-store.ts';
import type { ReadSessionAndCart } from './loaded-cart.ts';

// qty: {sku: quantity}; skus: the order lines were added in.
export const createCartTable = `
  CREATE TABLE IF NOT EXISTS session_cart (
    sid varchar PRIMARY KEY REFERENCES session (sid) ON DELETE CASCADE,
    qty jsonb NOT NULL DEFAULT '{}',
    skus text[] NOT NULL DEFAULT '{}'
  )`;

interface CartRow {
  qty: Record<string, number>;
  skus: string[];
}

function linesOf(row: CartRow | undefined): CartLine[] {
  return row ? row.skus.map((sku) => ({ sku, qty: row.qty[sku]! })) : [];
}

// $1 sid, $2 sku, $3 qty, $4 max lines, $5 max of one sku. No row back: a limit refused it.
const addStatement = `
  INSERT INTO session_cart AS c (sid, qty, skus) VALUES ($1, jsonb_build_object($2::text, $3::int), ARRAY[$2::text])
  ON CONFLICT (sid) DO UPDATE SET
    qty = jsonb_set(c.qty, ARRAY[$2::text], to_jsonb(coalesce((c.qty ->> $2::text)::int, 0) + $3::int)),
    skus = CASE WHEN c.qty ? $2::text THEN c.skus ELSE c.skus || $2::text END
  WHERE (c.qty ? $2::text OR cardinality(c.skus) < $4::int) AND coalesce((c.qty ->> $2::text)::int, 0) + $3::int <= $5::int
  RETURNING qty, skus`;

// connect-pg-simple's read of a session that has not expired ($2: now, in whole seconds as it
// counts them), with the session's cart row joined: one statement instead of two.
const sessionAndCartStatement = `
  SELECT s.sess, c.qty, c.skus FROM session s LEFT JOIN session_cart c ON c.sid = s.sid
  WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;

export function readSessionAndCart(pool: pg.Pool): ReadSessionAndCart {
  return async (sessionId) => {
    const { rows } = await pool.query<{ sess: unknown } & Partial<CartRow>>({ name: 'lab-session-and-cart', text: sessionAndCartStatement, values: [sessionId, Math.ceil(Date.now() / 1000)] });
    const row = rows[0];
    if (!row) return { session: null, cart: [] };
    // The column is json, which pg parses; a text column would come as a string.
    const session = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
    return { session, cart: row.qty && row.skus ? linesOf({ qty: row.qty, skus: row.skus }) : [] };
  };
}

/** A cart change for a session whose row is gone (expired and pruned between the read and the write). */
function sessionGone(err: unknown): HttpError | undefined {
  return (err as { code?: unknown }).code === '23503' ? new HttpError('session_ended') : undefined;
}

export function postgresCarts(pool: pg.Pool): CartStore {
  const view = async (sessionId: string) => linesOf((await pool.query<CartRow>({ name: 'lab-cart', text: 'SELECT qty, skus FROM session_cart WHERE sid = $1', values: [sessionId] })).rows[0]);
  return {
    view,
    add: async (sessionId, sku, qty) => {
      const { rows } = await pool.query<CartRow>({ name: 'lab-cart-add', text: addStatement, values: [sessionId, sku, qty, maxCartLines, maxQtyPerLine] }).catch((err: unknown) => {
        throw sessionGone(err) ?? err;
      });
      if (rows[0]) return linesOf(rows[0]);
      const has = (await view(sessionId)).find((l) => l.sku === sku)?.qty;
      throw has === undefined ? cartRefused('too_many_lines') : cartRefused('too_many_of_one', has);
    },
    remove: async (sessionId, sku) => {
      const { rows } = await pool.query<CartRow>({ name: 'lab-cart-remove', text: 'UPDATE session_cart SET qty = qty - $2::text, skus = array_remove(skus, $2::text) WHERE sid = $1 RETURNING qty, skus', values: [sessionId, sku] });
      return linesOf(rows[0]);
    },
    // The row lives as long as the session row: nothing to extend.
    refresh: async () => {},
    delete: async (sessionId) => {
      await pool.query('DELETE FROM session_cart WHERE sid = $1', [sessionId]);
    },
    close: async () => {},
  };
}
