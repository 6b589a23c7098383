// The benchmark's load generator, a process of its own (started by load-generator.ts): it runs
// autocannon for each run it is sent over IPC and answers with the run's figures. Apart from the
// benchmark's process, what it spends per request is a figure of its own, not mixed with the
// log lines the benchmark reads from the nodes.
import autocannon from 'autocannon';
import type { LoadOutcome, LoadRun } from './load-generator.ts';

/** One autocannon run, bounded by time and by request count, whichever comes first. */
function runAutocannon(options: autocannon.Options, maxRequests: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    // autocannon ignores duration when given amount, so the count bound is kept here.
    let responses = 0;
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('response', () => {
      if (++responses === maxRequests) instance.stop();
    });
  });
}

async function load(run: LoadRun): Promise<LoadOutcome> {
  let next = 0;
  const identity = () => run.identities[next++ % run.identities.length]!;
  // Ten skus per run, spread over the pool's sessions.
  const body = () => JSON.stringify({ sku: `${run.skuPrefix}-${next % 10}`, qty: 1 });
  const write = run.path === 'write';
  const request = write ? { method: 'POST' as const, path: '/cart/items', headers: { 'content-type': 'application/json' } } : { method: 'GET' as const, path: '/cart' };
  const result = await runAutocannon(
    {
      url: run.url,
      connections: run.connections,
      duration: run.durationSeconds,
      // autocannon ends a run at its first sample after the duration: with its default 1-s
      // samples a 0.6 s run lasted a whole second.
      sampleInt: 100,
      requests: [{ ...request, setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...identity() }, ...(write ? { body: body() } : {}) }) }],
    },
    run.maxRequests,
  );
  return {
    requests: result.requests.total,
    elapsedMs: result.finish.getTime() - result.start.getTime(),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

// Without its owner there is nothing to do.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: { id: number; run: LoadRun }) => {
  load(message.run).then(
    (outcome) => process.send!({ id: message.id, outcome }),
    (err: unknown) => process.send!({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.send!({ ready: true });
