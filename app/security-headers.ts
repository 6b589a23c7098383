// The shop's security headers, set by helmet: a Content-Security-Policy whose only script and
// style are the page's own inline ones, allowed by a nonce made for each response; nosniff; no
// framing (frame-ancestors 'none'); no Referer sent elsewhere. HSTS only on a request that came
// over TLS (directly, or through a trusted proxy's X-Forwarded-Proto): over plain http it would
// be ignored, and a browser that kept it would refuse the lab's own http topologies.
import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The nonce of this response's inline script and style (the page route writes it into them). */
export function cspNonce(res: Response): string {
  return String(res.locals.cspNonce);
}

const nonce = (_req: unknown, res: unknown) => `'nonce-${cspNonce(res as Response)}'`;

const headers = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: [nonce],
      styleSrc: [nonce],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
});

const hsts = helmet.strictTransportSecurity({ maxAge: 15_552_000 });

export function securityHeaders(): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      next();
    },
    headers,
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
  ];
}
