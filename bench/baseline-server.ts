// The no-session baseline: Express with the same JSON parsing and answers shaped like the shop's
// cart routes, and no session middleware at all. Started by the benchmark like a node.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: 16 * 1024 }));
app.get('/cart', (_req, res) => {
  res.setHeader('X-Served-By', 'baseline');
  res.json({ node: 'baseline', items: [] });
});
app.post('/cart/items', (req, res) => {
  const { sku, qty } = req.body as { sku?: unknown; qty?: unknown };
  res.setHeader('X-Served-By', 'baseline');
  res.json({ node: 'baseline', items: [{ sku, qty }] });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`baseline listening on port ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
