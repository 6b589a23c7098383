// A small Express app the way many start: express-session with its default cookie, notes kept in
// the session object. STORE=memory (the default MemoryStore) or STORE=redis (connect-redis).
import express from 'express';
import session from 'express-session';

const { PORT = '3000', STORE = 'memory', REDIS_URL, SESSION_SECRET = 'dev-secret' } = process.env;

async function storeOf() {
  if (STORE === 'memory') return undefined;
  if (STORE !== 'redis') throw new Error(`STORE must be memory or redis (got "${STORE}")`);
  const { RedisStore } = await import('connect-redis');
  const { Redis } = await import('ioredis');
  return new RedisStore({ client: new Redis(REDIS_URL) });
}

const app = express();
app.use(express.json());
app.get('/healthz', (_req, res) => res.send('ok'));
app.use(session({ secret: SESSION_SECRET, store: await storeOf(), resave: false, saveUninitialized: false }));

app.post('/notes', (req, res) => {
  const note = String(req.body?.note ?? '');
  if (!note) return res.status(400).json({ error: 'note is required' });
  req.session.notes = [...(req.session.notes ?? []), note];
  res.status(201).json({ notes: req.session.notes });
});

app.get('/notes', (req, res) => res.json({ notes: req.session.notes ?? [] }));

// A login the way many tutorials write it: one demo user, the name put into the session as it is.
const users = new Map([[process.env.DEMO_USER ?? 'demo', process.env.DEMO_PASSWORD ?? 'demo-password']]);

app.post('/login', (req, res) => {
  const { username, password } = req.body ?? {};
  if (typeof username !== 'string' || users.get(username) !== password) return res.status(401).json({ error: 'wrong username or password' });
  req.session.user = username;
  res.json({ user: username });
});

app.get('/me', (req, res) => (req.session.user ? res.json({ user: req.session.user }) : res.status(401).json({ error: 'not logged in' })));

app.post('/logout', (req, res, next) => req.session.destroy((err) => (err ? next(err) : res.json({ ok: true }))));

const server = app.listen(Number(PORT), () => console.log(`listening on ${PORT} (${STORE})`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
