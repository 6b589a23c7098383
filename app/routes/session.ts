import { parse as parseCookies } from 'cookie';
import { Router } from 'express';
import type { Config } from '../config.ts';

/** The article's demo route: the session id the server holds and the cookies the client sent. */
export function sessionRoutes(config: Readonly<Config>): Router {
  const router = Router();
  router.get('/session', (req, res) => {
    res.json({
      sessionID: req.sessionID,
      node: config.nodeName,
      isNew: res.locals.sessionState !== 'existing',
      cookies: req.headers.cookie ? parseCookies(req.headers.cookie) : {},
    });
  });
  return router;
}
