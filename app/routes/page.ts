import { readFileSync } from 'node:fs';
import type { IRouter, Request, RequestHandler } from 'express';
import type { Auth } from '../auth/index.ts';
import type { RequestCart } from '../carts/request-cart.ts';
import type { Config } from '../config.ts';
import { sessionTag } from '../contract.ts';
import { allowPageInlines } from '../security-headers.ts';

const template = readFileSync(new URL('../public/index.html', import.meta.url), 'utf8');

/** JSON that is safe inside a <script> element: no "</script>" or "<!--" can close it early. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** GET /: the shop page, with the serving node, the session state, the cart and, when logged in, the user's devices. */
export function pageRoutes(router: IRouter, config: Readonly<Config>, cartOf: (req: Request) => RequestCart, auth: Auth | undefined, authenticate: RequestHandler | undefined): void {
  router.get('/', ...(authenticate ? [authenticate] : []), async (req, res) => {
    const session = res.locals.userSession;
    const loggedIn = session && auth;
    const state = {
      node: config.nodeName,
      store: config.sessionStore,
      sessionState: res.locals.sessionState,
      sessionTag: sessionTag(req.sessionID),
      loginAvailable: auth !== undefined,
      loginNotice: res.locals.loginNotice ?? null,
      user: loggedIn ? session.username : null,
      cart: loggedIn ? await auth.store.cart(session.userId) : await cartOf(req).view(),
      devices: loggedIn
        ? (await auth.store.activeSessions(session.userId)).map((s) => ({ id: s.id, device: s.device, createdWith: s.createdWith, lastSeenAt: s.lastSeenAt, current: s.id === session.id }))
        : [],
    };
    const page = template.replace('{{PAGE_STATE}}', () => scriptSafeJson(state)).replaceAll('{{CSP_NONCE}}', allowPageInlines(res));
    res.type('html').send(page);
  });
}
