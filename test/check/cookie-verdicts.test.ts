import { describe, expect, it } from 'vitest';
import { cookieFlagsVerdict, cookieSecureVerdict, cookieSizeVerdict } from '../../scenarios/check/cookie-verdicts.ts';
import { checkActions, type CheckOp } from '../../scenarios/check/device.ts';

const history = (...cookies: string[]): CheckOp[] =>
  cookies.map((cookie, index) => ({ process: 'device-1', action: checkActions.write, type: 'ok', startedMs: index, endedMs: index + 1, index, ...(cookie ? { value: { setCookie: [cookie] } } : {}) }) as CheckOp);

describe('cookieFlagsVerdict', () => {
  it('says flags-set for HttpOnly and SameSite, flags-missing otherwise', () => {
    expect(cookieFlagsVerdict(history('sid=x; Path=/; HttpOnly; SameSite=Lax'), 'sid')).toMatchObject({ observed: 'flags-set', metrics: { sameSite: 'lax' } });
    expect(cookieFlagsVerdict(history('sid=x; Path=/; HttpOnly'), 'sid')).toMatchObject({ observed: 'flags-missing', metrics: { httpOnly: true, sameSite: 'none set' } });
    expect(cookieFlagsVerdict(history('other=x'), 'sid').observed).toBe('inconclusive');
  });
});

describe('cookieSecureVerdict', () => {
  it('says secure when the cookie set over https carries Secure, not-secure with the line otherwise', () => {
    expect(cookieSecureVerdict(history('sid=x; Path=/; Secure; HttpOnly'), 'sid').observed).toBe('secure');
    expect(cookieSecureVerdict(history('sid=x; Path=/; HttpOnly'), 'sid')).toMatchObject({ observed: 'not-secure', firstBad: { seen: 'sid=…; Path=/; HttpOnly' } });
  });
});

describe('cookieSizeVerdict', () => {
  const sized = (...bytes: number[]) => history(...bytes.map((n) => `sid=${'x'.repeat(n - 4)}; Path=/`));

  it('says constant for a cookie that stays the size of an id, set again or not', () => {
    expect(cookieSizeVerdict(history('sid=abcd; Path=/', '', 'sid=abce; Path=/'), 'sid')).toMatchObject({ observed: 'constant', metrics: { firstBytes: 8, largestBytes: 8, writes: 3 } });
  });

  it('says grows when it reached twice its first size', () => {
    expect(cookieSizeVerdict(sized(100, 150, 200), 'sid').observed).toBe('grows');
    expect(cookieSizeVerdict(sized(100, 150, 199), 'sid').observed).toBe('constant');
  });

  it('says too-big, with the first answer past 4096 bytes', () => {
    expect(cookieSizeVerdict(sized(100, 4096, 4097, 4200), 'sid')).toMatchObject({ observed: 'too-big', firstBad: { index: 2, seen: '4097 bytes' } });
  });
});
