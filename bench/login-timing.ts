// Whether a login reveals which usernames exist: a wrong password and an unknown user must both
// pay one scrypt, so their answers take the same order of time. A figure for the benchmark, not
// a timed test (a shared machine is too noisy for a threshold in a test).
import { Device } from '../runner/http-client.ts';
import type { RunningTopology } from '../runner/backend.ts';
import { median } from '../lib/stats.ts';

export interface LoginTimingResult {
  samples: number;
  wrongPasswordP50Ms: number;
  unknownUserP50Ms: number;
  /** unknown / wrong: near 1 when both pay one scrypt; near 0.05 when the unknown user skips it. */
  ratio: number;
}

// Each sample uses a user of its own, so the per-username limit on failed logins is never reached.
const samples = 8;

export async function measureLoginTiming(running: RunningTopology): Promise<LoginTimingResult> {
  const device = new Device('login-timing', running.balancerUrl, { timeoutMs: 10_000 });
  const run = Date.now().toString(36);
  try {
    for (let i = 0; i < samples; i++) {
      const answer = await device.post('/signup', { username: `timing-${run}-${i}`, password: 'correct horse battery', device: 'bench' });
      if (answer.status !== 201) throw new Error(`signup answered ${answer.status}: ${answer.text}`);
    }
    device.setCookie('lab_token', undefined);
    const timeOf = async (username: string) => {
      const startedAt = performance.now();
      const answer = await device.post('/login', { username, password: 'wrong password' });
      if (answer.status !== 401) throw new Error(`a wrong login answered ${answer.status}: ${answer.text}`);
      return performance.now() - startedAt;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < samples; i++) {
      wrong.push(await timeOf(`timing-${run}-${i}`));
      unknown.push(await timeOf(`nobody-${run}-${i}`));
    }
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { samples, wrongPasswordP50Ms: round(median(wrong)), unknownUserP50Ms: round(median(unknown)), ratio: Math.round((median(unknown) / median(wrong)) * 100) / 100 };
  } finally {
    await device.close();
  }
}
