// Carts in PostgreSQL beside connect-pg-simple's sessions: one row per session whose sid
// references the session row, so the cart goes when the session row goes (destroy, expiry prune).
// Each change is one INSERT … ON CONFLICT DO UPDATE: PostgreSQL locks the session's cart row and
// evaluates the new quantities and the limits against its latest version, so concurrent adds
// queue up on that row instead of overwriting each other.
import type pg from 'pg';
import { maxCartLines, maxQtyPerLine, type CartLine } from '../contract.ts';
import { HttpError } from '../errors.ts';
import { cartRefused, type CartStore } from './cart-store.ts';

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

/** A cart change for a session whose row is gone (expired and pruned between the read and the write). */
function sessionGone(err: unknown): HttpError | undefined {
  return (err as { code?: unknown }).code === '23503' ? new HttpError('session_ended') : undefined;
}

export function postgresCarts(pool: pg.Pool): CartStore {
  const view = async (sessionId: string) => linesOf((await pool.query<CartRow>('SELECT qty, skus FROM session_cart WHERE sid = $1', [sessionId])).rows[0]);
  return {
    view,
    add: async (sessionId, sku, qty) => {
      const { rows } = await pool.query<CartRow>(addStatement, [sessionId, sku, qty, maxCartLines, maxQtyPerLine]).catch((err: unknown) => {
        throw sessionGone(err) ?? err;
      });
      if (rows[0]) return linesOf(rows[0]);
      const has = (await view(sessionId)).find((l) => l.sku === sku)?.qty;
      throw has === undefined ? cartRefused('too_many_lines') : cartRefused('too_many_of_one', has);
    },
    remove: async (sessionId, sku) => {
      const { rows } = await pool.query<CartRow>('UPDATE session_cart SET qty = qty - $2::text, skus = array_remove(skus, $2::text) WHERE sid = $1 RETURNING qty, skus', [sessionId, sku]);
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
