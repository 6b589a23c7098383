import { maxCartLines } from '../app/contract.ts';
import type { Lab } from '../runner/lab.ts';
import type { Scenario } from '../runner/scenario.ts';
import type { ShopOp } from './shop/actions.ts';
import { readYourWritesVerdict } from './shop/checkers/read-your-writes.ts';
import { shopDevice } from './shop/device.ts';

const tries = 100;

// A form posts an add and is answered 303 to /cart; a browser follows a redirect the moment the
// headers arrive. express-session saves a changed session as the answer ends, and sends the status
// line and headers before that save has ended, holding back only the last byte (to save latency;
// a maintainer calls it intended: expressjs/session#360, #704). So the GET of /cart can reach the
// store before the save has, on whichever node, and show the cart without the add. The shop saves
// before it answers (SESSION_SAVE_BEFORE_ANSWER, on by default): then the window does not exist.
// The window is as wide as the store's write: PostgreSQL's topologies here take 20 ms to make a
// commit visible, as a database with a synchronous standby in another zone does. With a commit
// of a fraction of a millisecond the GET won the race in 0 to 59 % of the tries, by the machine's
// load: a verdict that flipped between runs. Two things close the window by accident, and the
// topologies here undo the first: nginx holds a short answer until its last byte (postpone_output,
// 1460 bytes by default), and a store that applies the save at once (Redis: the SET is sent
// before the headers) wins every race.
async function addThenFollow(lab: Lab): Promise<void> {
  // A new line each time, so that each followed cart must show a line it never had; a cart holds
  // at most 50, so a second shopper takes over from the 51st.
  const shoppers = Array.from({ length: Math.ceil(tries / maxCartLines) }, (_, n) => shopDevice(lab, `shopper-${n + 1}`));
  for (let i = 0; i < tries; i++) await shoppers[Math.floor(i / maxCartLines)]!.addThenFollow(`item-${i + 1}`);
}

export const redirectBeforeSave: Scenario<ShopOp> = {
  name: 'redirect-before-save',
  summary: `postgres-2-save-after-answer (cart in the session, saved as the answer ends, a commit visible 20 ms after it was sent): ${tries} adds by form, each 303 followed the moment its headers arrive; the GETs of /cart show the cart without the add the 303 had just confirmed.`,
  topology: 'postgres-2-save-after-answer',
  expected: 'read-missed-write',
  run: addThenFollow,
  check: readYourWritesVerdict,
};

export const redirectBeforeSaveRedis: Scenario<ShopOp> = {
  ...redirectBeforeSave,
  name: 'redirect-before-save-redis',
  summary: `The same on redis-2-save-after-answer: the headers still leave before the save has ended, but the SET reaches Redis before them and Redis applies it at once, so no followed GET misses the add.`,
  topology: 'redis-2-save-after-answer',
  expected: 'read-saw-write',
};

export const redirectAfterSave: Scenario<ShopOp> = {
  ...redirectBeforeSave,
  name: 'redirect-after-save',
  summary: `postgres-2-save-before-answer (cart in the session, saved before the answer, nginx and PostgreSQL as in postgres-2-save-after-answer): the same ${tries} adds; every followed GET shows the add.`,
  topology: 'postgres-2-save-before-answer',
  expected: 'read-saw-write',
};
