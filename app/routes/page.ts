import { readFileSync } from 'node:fs';
import { Router } from 'express';
import type { Config } from '../config.ts';
import { sessionTag } from '../log.ts';

const template = readFileSync(new URL('../public/index.html', import.meta.url), 'utf8');

/** JSON that is safe inside a <script> element: no "</script>" or "<!--" can close it early. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** GET /: the shop page, with the serving node, the session state and the cart filled in. */
export function pageRoutes(config: Readonly<Config>): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const state = {
      node: config.nodeName,
      store: config.sessionStore,
      sessionState: res.locals.sessionState,
      sessionTag: sessionTag(req.sessionID),
      cart: req.session.cart ?? [],
    };
    res.type('html').send(template.replace('{{PAGE_STATE}}', () => scriptSafeJson(state)));
  });
  return router;
}
