// The login checks of `lab check`: what the app does with a session id planted before the login,
// a copy of the cookies after the logout, and "log out everywhere" across the nodes. Each device
// logs in as the app file says (its one user, or a user it signs up) and asks the file's
// logged-in request whether it is logged in.
import type { AppFile, CheckStore } from './app-file.ts';
import type { Check } from './checks.ts';
import { CheckDevice } from './device.ts';
import { fixationVerdict, logoutEverywhereVerdict, logoutReplayVerdict } from './login-verdicts.ts';

/** Why a login check cannot apply: no login, or none on this store, or not the request it needs. */
export const needsLogin = (request?: 'logout' | 'logoutEverywhere') => (store: CheckStore, app: AppFile) => {
  if (!app.login) return 'the app file has no login';
  if (app.login.stores && !app.login.stores.includes(store)) return `the login works on ${app.login.stores.join(', ')} only (login.stores)`;
  if (request && !app.login[request]) return `the app file has no login.${request}`;
  return undefined;
};

export const loginChecks: Check[] = [
  {
    // On one node: only the app's handling of the session id at login decides.
    name: 'session-fixation',
    asks: 'When an attacker plants a session id of its own in a victim\'s browser before the victim logs in, is the attacker then logged in as the victim?',
    skipOn: needsLogin(),
    lessons: {
      safe: 'The planted session id was worth nothing after the login (the app gave the victim a new session, or keeps the login elsewhere).',
      fixated: 'The session id kept across the login: whoever set it before the login shares the victim\'s login. Usual fix: a new session id at login (express-session: req.session.regenerate, PHP: session_regenerate_id(true), Flask-Login: session protection).',
      'no-session-before-login': 'The app gave no session cookie before the login, so none could be planted (nothing to fix here; the check could not attack).',
    },
    nodes: 'one',
    run: async (lab, app) => {
      const attacker = new CheckDevice(lab, app, 'attacker');
      const victim = new CheckDevice(lab, app, 'victim');
      await attacker.visit();
      victim.plantSessionOf(attacker);
      await victim.logIn();
      await victim.whoAmI();
      await attacker.whoAmI({ userOf: victim });
    },
    check: (history) => fixationVerdict(history, 'attacker', 'victim'),
  },
  {
    name: 'logout-replay',
    asks: 'After a user logs out, does a copy of the cookies taken while logged in (a stolen cookie, a shared computer) still open the session?',
    skipOn: needsLogin('logout'),
    lessons: {
      ended: 'The logout ended the session where the app keeps it: a copied cookie is worth nothing afterwards.',
      replayable: 'The logout only told the browser to forget the cookie: a copy still logs in. Typical of a session sealed in the cookie. Usual fix: keep something server-side to revoke (a session store, or a token or session version checked on every request), or short cookie lifetimes.',
      'logout-broken': 'The device itself was still logged in after the logout: the logout request does not log out.',
    },
    nodes: 'one',
    run: async (lab, app) => {
      const owner = new CheckDevice(lab, app, 'owner');
      const thief = new CheckDevice(lab, app, 'thief');
      await owner.logIn();
      await owner.whoAmI();
      thief.copyCookiesOf(owner);
      await thief.whoAmI({ userOf: owner });
      await owner.logOut();
      await owner.whoAmI();
      for (let i = 0; i < 2; i++) await thief.whoAmI({ userOf: owner });
    },
    check: (history) => logoutReplayVerdict(history, 'owner', 'thief'),
  },
  {
    // On every node: a node that keeps its own copy of a login (a cache) is where it survives.
    name: 'logout-everywhere',
    asks: 'When a user logs out everywhere on one device, is the user logged out on the other device too, whichever node answers?',
    skipOn: needsLogin('logoutEverywhere'),
    lessons: {
      reached: 'Every session of the user ended, on every node.',
      missed: 'A session of the user outlived "log out everywhere" (on some node): a stolen session stays open. Usual fix: end every session of the user where sessions are kept (a list per user, or a session version checked on every request), not only the current one.',
      'not-shared': 'The second device was not logged in on every node before (each node keeps its own sessions; see round-robin), so this cannot be judged.',
    },
    nodes: 'all',
    run: async (lab, app) => {
      const [laptop, phone] = [new CheckDevice(lab, app, 'laptop'), new CheckDevice(lab, app, 'phone')];
      await laptop.logIn();
      await laptop.whoAmI();
      await phone.logInAs(laptop);
      for (let i = 0; i < 4; i++) await phone.whoAmI();
      await laptop.logOutEverywhere();
      for (let i = 0; i < 4; i++) await phone.whoAmI();
      await laptop.whoAmI();
    },
    check: (history) => logoutEverywhereVerdict(history, 'laptop', 'phone'),
  },
];
