import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { scaleInVerdict } from './shop/checkers/scaling.ts';
import { writeWhile } from './shop/load.ts';

// The fleet grows and shrinks under writes on redis-2 (sessions shared, so a node that comes or
// goes takes no session with it): server_3 joins, takes its share for a second, and leaves again.
// The waits are timed from each change's end: a node starting under load takes seconds.
/**
 * Twelve devices writing without pause keep about four requests in flight on server_3 at any
 * moment: with six, a kill found none in flight in 2 runs of 10 on a busy machine.
 */
const writers = 12;

async function joinThenLeave(lab: Lab, scaleInTarget: string): Promise<void> {
  await writeWhile(lab, writers, async () => {
    await lab.wait(300, 'writes before the fleet changes');
    await lab.fault('scale-out', '');
    await lab.wait(1000, 'server_3 takes its share');
    await lab.fault('scale-in', scaleInTarget);
    await lab.wait(500, 'writes after');
  });
}

// Drained (off the balancer's list first, a graceful reload, then a graceful stop), no request
// fails: what nginx had sent to server_3 finishes there.
export const scaleInDrained: Scenario<ShopOp> = {
  name: 'scale-in-drained',
  summary: 'redis-2 under writes: server_3 joins (scale-out), then is drained and removed (scale-in): no request fails, no cart loses anything.',
  topology: 'redis-2',
  expected: 'no-request-failed',
  fresh: 'it adds and removes a node',
  run: (lab) => joinThenLeave(lab, 'server_3'),
  check: scaleInVerdict,
};

// Removed hard (killed, then taken off the list, as when a machine vanishes before the balancer
// hears of it), the requests it held fail: nginx does not send a POST to a second node once the
// first has it.
export const scaleInHard: Scenario<ShopOp> = {
  ...scaleInDrained,
  name: 'scale-in-hard',
  summary: 'redis-2 under writes: server_3 joins, then is killed before the balancer drops it: the requests it held fail.',
  expected: 'requests-failed',
  run: (lab) => joinThenLeave(lab, 'server_3 hard'),
};
