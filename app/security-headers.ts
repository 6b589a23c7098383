// The shop's security headers. helmet decides them; they are built once, at start-up, since all
// but one never change: nosniff, no framing (frame-ancestors 'none', X-Frame-Options), no Referer
// sent elsewhere, helmet's cross-origin and legacy headers, and a Content-Security-Policy that
// allows no script and no style at all (no JSON answer has any). The page, the one answer with
// inline script and style, replaces that policy with one that allows them through a nonce made for
// that answer. HSTS only on a request that came over TLS (directly, or through a trusted proxy's
// X-Forwarded-Proto): over plain http it would be ignored, and a browser that kept it would
// refuse the lab's own http topologies.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import helmet from 'helmet';
import type { AnswerStep } from './request-log.ts';

type Header = readonly [name: string, value: string];

/** What a helmet middleware sets on a response, read once from a stand-in response. */
function headersOf(middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): Header[] {
  const set = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => set.set(name, String(value)),
    removeHeader: (name: string) => set.delete(name),
  } as unknown as ServerResponse;
  middleware({ method: 'GET', headers: {} } as IncomingMessage, res, () => {});
  return [...set];
}

/** The policy, its script and style sources given: the page's nonce, or 'none'. */
function contentSecurityPolicy(scriptAndStyle: string): string {
  return headersOf(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: [scriptAndStyle],
        styleSrc: [scriptAndStyle],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
  )[0]![1];
}

const cspHeader = 'Content-Security-Policy';
const everyAnswer: readonly Header[] = [
  ...headersOf(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false, referrerPolicy: { policy: 'no-referrer' } })),
  [cspHeader, contentSecurityPolicy("'none'")],
];
const overTls: readonly Header[] = headersOf(helmet.strictTransportSecurity({ maxAge: 15_552_000 }));
const nonceSlot = '{nonce}';
const pagePolicy = contentSecurityPolicy(`'nonce-${nonceSlot}'`);

/** Sets the constant headers on every answer (and HSTS on one that came over TLS). */
export function securityHeaders(): AnswerStep {
  return (req, res) => {
    for (const [name, value] of everyAnswer) res.setHeader(name, value);
    if (req.secure) for (const [name, value] of overTls) res.setHeader(name, value);
  };
}

/**
 * Allows this answer's inline script and style: a nonce made for it, in its policy; returns the
 * nonce, which the page writes into its script and style tags.
 */
export function allowPageInlines(res: Response): string {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(cspHeader, pagePolicy.replaceAll(nonceSlot, nonce));
  return nonce;
}
