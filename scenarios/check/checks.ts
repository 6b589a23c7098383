// The checks `lab check` runs on an app, each a scenario of the engine on a topology written for
// the app (app-topology.ts): the same runner, faults, history, JSON and HTML reports as the
// shop's scenarios. Each says what it asks, the lesson, and the usual fix, for the report card.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../../runner/lab.ts';
import type { Scenario } from '../../runner/scenario.ts';
import type { AppFile, CheckName, CheckStore } from './app-file.ts';
import { CheckDevice, type CheckOp } from './device.ts';
import { loginChecks, needsLogin } from './login-checks.ts';
import { loginContractBreak } from './login-verdicts.ts';
import { cookieFlagsVerdict, cookieLimitBytes, cookieSecureVerdict, cookieSizeVerdict } from './cookie-verdicts.ts';
import { acrossFaultVerdict, contractVerdict, outageVerdict, sessionVerdict } from './verdicts.ts';

/**
 * How many values cookie-size writes at most: it stops once the cookie passed the limit, or once
 * that many writes in a row left its size as it was (an id, not the data: it will not grow).
 */
const cookieSizeWrites = 600;
const cookieSizeSteadyWrites = 100;

export interface Check {
  name: CheckName | 'contract';
  /** The question, in the app's terms. */
  asks: string;
  /** Why it cannot apply to this app or store, if it cannot. */
  skipOn?: (store: CheckStore, app: AppFile) => string | undefined;
  /** What each outcome means, and the usual fix where it is a fault. */
  lessons: Record<string, string>;
  /** One node, or every node (--nodes); own-secrets: every node, each with a secret of its own; tls: one node behind https. */
  nodes: 'one' | 'all' | 'own-secrets' | 'tls';
  run(lab: Lab, app: AppFile, store: CheckStore): Promise<void>;
  check(history: readonly CheckOp[], app: AppFile): ReturnType<Scenario['check']>;
}

/** Why a check that needs the round trip cannot apply. */
const needsRoundTrip = (_store: CheckStore, app: AppFile) => (app.roundTrip ? undefined : 'the app file has no roundTrip');

/** Why a store fault cannot apply: the store is no server of its own. */
const serverStore = (store: CheckStore) => (store === 'redis' || store === 'postgres' ? undefined : `the ${store} store is no server the lab can stop`);

const storeService = (lab: Lab) => lab.running.topology.services.find((s) => s.kind === 'redis' || s.kind === 'postgres')!.name;

/** The store gone for 2 s (stopped, or paused) while three devices write. */
async function storeOutage(lab: Lab, app: AppFile, gone: 'stop' | 'pause', back: 'start' | 'resume'): Promise<void> {
  const store = storeService(lab);
  const all = devices(lab, app, 3);
  await writeAndRead(all, 1);
  await writeWhile(all, 100, async () => {
    await lab.wait(300, 'requests before the store goes');
    await lab.fault(gone, store);
    await lab.wait(2000, 'the store is gone');
    await lab.fault(back, store);
    await lab.wait(2000, 'requests once it is back');
  });
}

const devices = (lab: Lab, app: AppFile, count: number) => Array.from({ length: count }, (_, i) => new CheckDevice(lab, app, `device-${i + 1}`));

/** Writes and reads in turn, each device on its own, so that round robin sends them to every node. */
async function writeAndRead(all: readonly CheckDevice[], rounds: number): Promise<void> {
  await Promise.all(
    all.map(async (device) => {
      for (let i = 0; i < rounds; i++) {
        await device.write();
        await device.read();
      }
    }),
  );
}

/** The devices write without pause (pauseMs between writes) while work runs (faults, waits). */
async function writeWhile(all: readonly CheckDevice[], pauseMs: number, work: () => Promise<void>): Promise<void> {
  let going = true;
  const load = Promise.all(
    all.map(async (device) => {
      while (going) {
        await device.write();
        await sleep(pauseMs);
      }
    }),
  );
  try {
    await work();
  } finally {
    going = false;
    await load;
  }
}

/** Four devices each write and read in turn, four times, behind round robin. */
const roundRobin = (lab: Lab, app: AppFile) => writeAndRead(devices(lab, app, 4), 4);

export const checks: Check[] = [
  {
    name: 'contract',
    asks: 'On one node, does a read show what the writes before it wrote, and does the app set the session cookie the file names?',
    lessons: {
      holds: 'The app file describes the app: the other checks can trust the round trip.',
      broken: 'The app file does not describe the app (a wrong path, cookie name or find): no other check can mean anything until it does.',
    },
    nodes: 'one',
    // The round trip, then the login: logged out before it, logged in after it, logged out again after the logout.
    run: async (lab, app, store) => {
      const [device] = devices(lab, app, 1);
      if (app.roundTrip) await writeAndRead([device!], 3);
      if (needsLogin()(store, app)) return;
      await device!.whoAmI({ expect: 'logged-out' });
      await device!.logIn();
      await device!.whoAmI({ expect: 'logged-in' });
      if (!app.login!.logout) return;
      await device!.logOut();
      await device!.whoAmI({ expect: 'logged-out' });
    },
    check: (history) => loginContractBreak(history) ?? contractVerdict(history),
  },
  {
    name: 'round-robin',
    asks: 'Behind round robin, does each read show every value its session wrote, whichever node answers?',
    lessons: {
      kept: 'The session lives where every node finds it (a shared store, or the cookie itself).',
      lost: 'Each node keeps its own sessions: a request that lands on another node finds none. Usual fix: a shared session store (Redis, the database), or sticky sessions as a stopgap.',
    },
    skipOn: needsRoundTrip,
    nodes: 'all',
    run: roundRobin,
    check: (history) => sessionVerdict(history),
  },
  {
    name: 'secret-per-node',
    asks: 'When each node has a secret of its own (a deploy that forgot to share it), do sessions survive round robin?',
    skipOn: (store, app) => needsRoundTrip(store, app) ?? (Object.values({ ...app.node.environment, ...app.stores[store] }).some((v) => v.includes('{secret}')) ? undefined : 'the app file gives the app no {secret}'),
    lessons: {
      kept: 'The secret does not decide whether a node accepts a session (or this store ignores it).',
      lost: 'A node rejects what another node signed: the cookie of one is no session on the other. Usual fix: one secret for every node, from the same place (and rotation as a list: sign with the new, accept the old).',
    },
    nodes: 'own-secrets',
    run: roundRobin,
    check: (history) => sessionVerdict(history),
  },
  {
    // On one node: behind round robin a per-node store loses sessions anyway (round-robin says so);
    // here only the restart decides.
    name: 'node-restart',
    asks: 'After the node restarts, do sessions still show what they wrote?',
    lessons: {
      kept: 'Nothing of a session lived only in a node process.',
      lost: 'Sessions lived in the node process (its memory): every deploy or crash logs users out. Usual fix: a store outside the process.',
    },
    skipOn: needsRoundTrip,
    nodes: 'one',
    run: async (lab, app) => {
      const all = devices(lab, app, 4);
      await writeAndRead(all, 2);
      await lab.fault('restart', 'server_1');
      await lab.untilBalancerReaches(['server_1']);
      await Promise.all(all.map(async (device) => {
        for (let i = 0; i < 4; i++) await device.read();
      }));
    },
    check: (history) => acrossFaultVerdict(history),
  },
  {
    // On one node, as node-restart, but killed (kill -9) while writes go on: what a graceful stop
    // saves on the way out (a flush, a final write) is not saved here.
    name: 'node-kill',
    asks: 'When the node is killed (kill -9) under writes and starts again, do sessions still show every write it acknowledged?',
    lessons: {
      kept: 'Every write the app acknowledged was already where the next process finds it.',
      lost: 'The app acknowledged writes it had not yet stored outside the process (or kept sessions in its memory): a crash takes them. Usual fix: answer only once the session is saved, in a store outside the process.',
    },
    skipOn: needsRoundTrip,
    nodes: 'one',
    run: async (lab, app) => {
      const all = devices(lab, app, 3);
      await writeAndRead(all, 1);
      await writeWhile(all, 20, async () => {
        await lab.wait(300, 'writes before the kill');
        await lab.fault('kill', 'server_1');
      });
      await lab.fault('start', 'server_1');
      // The balancer tries a failed node again only after its fail_timeout (and, under Docker, once it resolved its new address).
      await lab.untilBalancerReaches(['server_1']);
      await Promise.all(all.map((device) => device.read()));
    },
    check: (history) => acrossFaultVerdict(history),
  },
  {
    name: 'store-outage',
    asks: 'When the session store stops for 2 s, does the app answer fast with an error and recover, or hang?',
    skipOn: (store, app) => needsRoundTrip(store, app) ?? serverStore(store),
    lessons: {
      'fails-fast': 'Requests failed with an error while the store was gone and worked again once it was back.',
      waits: 'No request failed, but requests were held until the store came back: the client queues commands while it reconnects, so a longer outage holds every user that long. Usual fix: a command timeout, and no offline queue, so that the app answers an error at once.',
      unaffected: 'No request failed or waited while the store was gone (the app did not need it then).',
      hangs: 'A request waited for the store far longer than a user would: the client has no deadline. Usual fix: a connect and command timeout on the store client, and no queue of commands while it is down.',
      'not-recovered': 'The app did not find the store again: the client does not reconnect. Usual fix: a retry strategy on the store client.',
    },
    nodes: 'all',
    run: (lab, app) => storeOutage(lab, app, 'stop', 'start'),
    check: (history) => outageVerdict(history),
  },
  {
    name: 'store-pause',
    asks: 'When the session store freezes for 2 s (a long GC or fsync, a VM paused, a network that drops packets), does the app answer fast with an error, or wait?',
    skipOn: (store, app) => needsRoundTrip(store, app) ?? serverStore(store),
    lessons: {
      'fails-fast': 'Requests failed with an error while the store did not answer, and worked again once it did: the store client has a command deadline.',
      waits: 'Requests were held as long as the store did not answer: a connection that stays open but silent has no deadline of its own. Usual fix: a command timeout on the store client (and a connect timeout), so that a frozen store costs users an error, not their time.',
      unaffected: 'No request failed or waited while the store was frozen (the app did not need it then).',
      hangs: 'A request waited far longer than the freeze, or never got an answer. Usual fix: a command timeout on the store client.',
      'not-recovered': 'The app did not work again once the store answered again.',
    },
    nodes: 'all',
    run: (lab, app) => storeOutage(lab, app, 'pause', 'resume'),
    check: (history) => outageVerdict(history),
  },
  {
    // On one node, so that only the store decides.
    name: 'store-crash',
    asks: 'When the session store is killed (kill -9) under writes and starts again, do sessions still show every write the app acknowledged?',
    skipOn: (store, app) => needsRoundTrip(store, app) ?? serverStore(store),
    lessons: {
      kept: 'The store keeps what it acknowledged across a crash of its process: it writes each change out before it answers (to survive a crash of the machine too, it must also reach the disk: fsync).',
      lost: 'The store lost sessions in the crash: it kept them in memory only (or wrote to disk later than it answered). Every user logged out at once. Usual fix: persistence that matches the promise (Redis appendonly with fsync, a database), or treating sessions as disposable.',
    },
    nodes: 'one',
    run: async (lab, app) => {
      const store = storeService(lab);
      const all = devices(lab, app, 3);
      await writeAndRead(all, 1);
      await writeWhile(all, 50, async () => {
        await lab.wait(300, 'writes before the crash');
        await lab.fault('kill', store);
      });
      await lab.fault('start', store);
      await lab.wait(1000, 'the app finds the store again');
      await Promise.all(all.map((device) => device.read()));
    },
    check: (history) => acrossFaultVerdict(history),
  },
  {
    // On one node, for the same reason: what is lost here is lost to concurrency alone.
    name: 'concurrent-writes',
    asks: 'When one session sends 20 writes at once, three times (tabs, retries, a double click), are all of them kept?',
    lessons: {
      kept: 'Concurrent writes to one session all survive.',
      lost: 'The session is read, changed and saved whole: concurrent requests overwrite each other, last save wins. Usual fix: change the data where it lives, in one atomic step (a Redis hash, a database row), not in the session object.',
    },
    skipOn: needsRoundTrip,
    nodes: 'one',
    // Three bursts: how closely 20 requests overlap inside the app varies from run to run (an app
    // whose request is a few microseconds of work may finish one before the next arrives).
    run: async (lab, app) => {
      const [device] = devices(lab, app, 1);
      await device!.write();
      for (let burst = 0; burst < 3; burst++) {
        await Promise.all(Array.from({ length: 20 }, () => device!.write()));
        await device!.read();
      }
    },
    check: (history) => sessionVerdict(history),
  },
  {
    name: 'cookie-flags',
    asks: 'Does the session cookie carry HttpOnly and SameSite?',
    lessons: {
      'flags-set': 'Scripts cannot read the session cookie, and other sites cannot send it along.',
      'flags-missing': 'A script (an XSS) can read the session cookie, or other sites can send it along. Usual fix: set HttpOnly and SameSite=Lax on the cookie (and Secure behind TLS).',
    },
    nodes: 'one',
    // The cookie as the app sets it: on the round trip's write, or else at the login.
    run: async (lab, app) => {
      const device = new CheckDevice(lab, app, 'device-1');
      if (app.roundTrip) await device.write();
      else await device.logIn();
    },
    check: (history, app) => cookieFlagsVerdict(history, app.cookie),
  },
  {
    name: 'cookie-secure',
    asks: 'Behind a proxy that answers https (nginx terminating TLS, as a load balancer does), does the session cookie carry Secure?',
    lessons: {
      secure: 'The app knows it is served over https behind the proxy and marks the cookie Secure: it never travels over plain http.',
      'not-secure': 'The cookie would also be sent over plain http (a downgraded or mixed-content request gives it away). The app sees plain http from the proxy: trust the proxy\'s X-Forwarded-Proto (Express: app.set("trust proxy", 1); Flask: ProxyFix) and set the cookie Secure (express-session: cookie.secure; Flask: SESSION_COOKIE_SECURE; PHP: session.cookie_secure).',
    },
    nodes: 'tls',
    run: async (lab, app) => {
      const device = new CheckDevice(lab, app, 'device-1');
      if (app.roundTrip) await device.write();
      else await device.logIn();
    },
    check: (history, app) => cookieSecureVerdict(history, app.cookie),
  },
  {
    // On one node: the size is the app's alone.
    name: 'cookie-size',
    asks: `As one session writes up to ${cookieSizeWrites} values (fewer once ${cookieSizeSteadyWrites} in a row left its size as it was), does the session cookie grow with them, and past the ${cookieLimitBytes} bytes a browser keeps?`,
    skipOn: needsRoundTrip,
    lessons: {
      constant: 'The cookie carries an id; the session\'s data stays on the server.',
      grows: 'The session\'s data travels in the cookie, on every request and answer: bandwidth on each one, and a limit ahead. Usual fix: keep growing data (carts, histories) on the server, the cookie for an id or a few fields.',
      'too-big': `The cookie passed ${cookieLimitBytes} bytes: browsers drop a cookie that big (RFC 6265's minimum is what they keep), and the session with it, silently. Usual fix: keep the data on the server (a store), or cap what goes into the cookie.`,
    },
    nodes: 'one',
    run: async (lab, app) => {
      const [device] = devices(lab, app, 1);
      let size = 0;
      let steadyFor = 0;
      for (let i = 0; i < cookieSizeWrites && steadyFor < cookieSizeSteadyWrites; i++) {
        await device!.write();
        const now = Buffer.byteLength(`${app.cookie}=${device!.cookie ?? ''}`);
        if (now > cookieLimitBytes) break;
        steadyFor = now === size ? steadyFor + 1 : 0;
        size = now;
      }
    },
    check: (history, app) => cookieSizeVerdict(history, app.cookie),
  },
  ...loginChecks,
];
