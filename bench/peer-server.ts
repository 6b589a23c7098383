// The plain peer a session-lab node is measured against: what a team would write first, Express
// with express-session on the same store with its defaults (touch on every request), the cart a
// field of the session, no log line, no session state, no login. Started by the benchmark like a
// node, with the node's variables (SESSION_STORE, SESSION_SECRET, SESSION_TTL_SECONDS,
// REDIS_URL, DATABASE_URL, SESSION_FILE_DIR, PORT).
import connectPgSimple from 'connect-pg-simple';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import pg from 'pg';
import sessionFileStore from 'session-file-store';

const env = process.env;
const ttlSeconds = Number(env.SESSION_TTL_SECONDS ?? 3600);

function store(): session.Store | undefined {
  switch (env.SESSION_STORE) {
    case 'redis':
      return new RedisStore({ client: new Redis(env.REDIS_URL!), prefix: 'peer_sess:', ttl: ttlSeconds });
    case 'postgres': {
      const PgStore = connectPgSimple(session);
      return new PgStore({ pool: new pg.Pool({ connectionString: env.DATABASE_URL }), tableName: 'session', createTableIfMissing: true, ttl: ttlSeconds });
    }
    case 'file': {
      const FileStore = sessionFileStore(session);
      return new FileStore({ path: env.SESSION_FILE_DIR!, ttl: ttlSeconds, logFn: () => {} });
    }
    default:
      return undefined; // express-session's MemoryStore
  }
}

interface CartSession {
  cart?: { sku: string; qty: number }[];
}

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(
  session({
    name: 'lab_sid',
    secret: (env.SESSION_SECRET ?? 'peer').split(','),
    store: store(),
    resave: false,
    saveUninitialized: true,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: ttlSeconds * 1000 },
  }),
);
app.use(express.json({ limit: 16 * 1024 }));
app.get('/cart', (req, res) => {
  res.json({ node: 'peer', items: (req.session as CartSession).cart ?? [] });
});
app.post('/cart/items', (req, res) => {
  const { sku, qty } = req.body as { sku: string; qty: number };
  const cart = ((req.session as CartSession).cart ??= []);
  const line = cart.find((l) => l.sku === sku);
  if (line) line.qty += qty;
  else cart.push({ sku, qty });
  res.json({ node: 'peer', items: cart });
});
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(Number(env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
