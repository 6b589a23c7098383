import type pg from 'pg';

// The login tables, created or brought up to date on start-up. Idempotent, and serialised by an
// advisory lock so that nodes starting together do not race each other.
const migrationLockKey = 7_401_553;

const statements = [
  `CREATE TABLE IF NOT EXISTS users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // One row per login per device: one user has many (1:N).
  `CREATE TABLE IF NOT EXISTS user_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    device text NOT NULL DEFAULT '',
    created_with text NOT NULL CHECK (created_with IN ('signup', 'login')),
    revoked_at timestamptz
  )`,
  'CREATE INDEX IF NOT EXISTS user_sessions_user_id ON user_sessions (user_id)',
  'CREATE INDEX IF NOT EXISTS user_sessions_expires_at ON user_sessions (expires_at)',
  `CREATE TABLE IF NOT EXISTS cart_items (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sku text NOT NULL,
    qty integer NOT NULL CHECK (qty BETWEEN 1 AND 999),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, sku)
  )`,
  // Failed logins, for the rate limit every node shares.
  `CREATE TABLE IF NOT EXISTS login_failures (
    username text NOT NULL,
    address text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX IF NOT EXISTS login_failures_username_address ON login_failures (username, address, failed_at)',
  'CREATE INDEX IF NOT EXISTS login_failures_address ON login_failures (address, failed_at)',
];

export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
