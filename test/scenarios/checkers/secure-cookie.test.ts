import { describe, expect, it } from 'vitest';
import { secureCookieVerdict } from '../../../scenarios/shop/checkers/secure-cookie.ts';
import { add, fault, history, viewCart, type OpSketch } from '../../support/histories.ts';

const fresh = { sessionState: 'new' } as const;
const cookie = { cookieBytes: 150 } as const;

/** Without trust: the add is answered, no cookie comes, the next reads are new and empty. */
const withoutTrust: OpSketch[] = [add('apple', 'server_1', [['apple', 1]], fresh), viewCart('server_2', [], fresh), viewCart('server_1', [], fresh)];
/** With trust: the add starts a session with a cookie, the next reads continue it. */
const withTrust: OpSketch[] = [add('bread', 'server_2', [['bread', 1]], { ...fresh, ...cookie }), viewCart('server_1', [['bread', 1]]), viewCart('server_2', [['bread', 1]])];
const redeploy = fault('redeploy', 'server_1');

describe('secureCookieVerdict', () => {
  it('says cookie-needs-trust-proxy when every answer before the fix was new without a cookie and every session after it held', () => {
    const verdict = secureCookieVerdict(history(redeploy, ...withoutTrust, redeploy, ...withTrust));
    expect(verdict.observed).toBe('cookie-needs-trust-proxy');
    expect(verdict.metrics).toMatchObject({ newWithoutTrust: 3, cookiesSetWithoutTrust: 0, continuedWithTrust: 2 });
  });

  it('says cookie-works-without-trust when a cookie was set before the fix', () => {
    const early = [add('apple', 'server_1', [['apple', 1]], { ...fresh, ...cookie }), viewCart('server_2', [['apple', 1]]), viewCart('server_1', [['apple', 1]])];
    const verdict = secureCookieVerdict(history(redeploy, ...early, redeploy, ...withTrust));
    expect(verdict.observed).toBe('cookie-works-without-trust');
    expect(verdict.firstBad?.index).toBe(1);
  });

  it('says lost-with-trust when a session ended after the fix', () => {
    const broken = [withTrust[0]!, viewCart('server_1', [], fresh), viewCart('server_2', [], fresh)];
    const verdict = secureCookieVerdict(history(redeploy, ...withoutTrust, redeploy, ...broken));
    expect(verdict.observed).toBe('lost-with-trust');
    expect(verdict.firstBad?.index).toBe(6);
  });

  it('says lost-with-trust when a continued session showed another cart', () => {
    const wrong = [withTrust[0]!, viewCart('server_1', []), viewCart('server_2', [['bread', 1]])];
    expect(secureCookieVerdict(history(redeploy, ...withoutTrust, redeploy, ...wrong)).observed).toBe('lost-with-trust');
  });

  it('is inconclusive without a redeploy', () => {
    expect(secureCookieVerdict(history(...withoutTrust, ...withTrust)).observed).toBe('inconclusive');
  });
});
