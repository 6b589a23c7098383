import { parse as parseCookies } from 'cookie';
import type { IRouter } from 'express';
import type { Config } from '../config.ts';
import { regenerateSession, saveSession } from '../session.ts';

/** The article's demo route: the session id the server holds and the cookies the client sent. */
export function sessionRoutes(router: IRouter, config: Readonly<Config>): void {
  router.get('/session', (req, res) => {
    res.json({
      sessionID: req.sessionID,
      node: config.nodeName,
      isNew: res.locals.sessionState !== 'existing',
      cookies: req.headers.cookie ? parseCookies(req.headers.cookie) : {},
    });
  });
  // Ends this session: a new, empty one takes its place (with a store, the old one is destroyed
  // there; with the cookie store there is nothing to destroy, so a copy of the old cookie still opens).
  router.delete('/session', async (req, res) => {
    await regenerateSession(req);
    await saveSession(req);
    res.json({ sessionID: req.sessionID, node: config.nodeName, ended: true });
  });
}
