// The verdicts of `lab check` on the session cookie itself, read from the Set-Cookie lines the
// devices' answers carried (recorded on their writes and logins).
import { firstBad, type Verdict } from '../../runner/scenario.ts';
import type { CheckOp } from './device.ts';

/** What browsers keep of one cookie at least (RFC 6265 §6.1), and in practice at most. */
export const cookieLimitBytes = 4096;

/** Each answer that set the session cookie, with its Set-Cookie line. */
function settings(history: readonly CheckOp[], cookieName: string): { op: CheckOp; line: string }[] {
  return history.flatMap((op) => {
    const raw = (op.value as { setCookie?: string | string[] } | undefined)?.setCookie;
    const line = [raw ?? []].flat().find((c) => c.startsWith(`${cookieName}=`));
    return line ? [{ op, line }] : [];
  });
}

const attributesOf = (line: string) => line.split(';').slice(1).map((a) => a.trim().toLowerCase());
const has = (attributes: string[], name: string) => attributes.some((a) => a === name || a.startsWith(`${name}=`));
const hidden = (line: string) => line.replace(/=[^;]*/, '=…');

/** The session cookie's attributes on the answer that set it: flags-set (HttpOnly and SameSite), or flags-missing. */
export function cookieFlagsVerdict(history: readonly CheckOp[], cookieName: string): Verdict {
  const [first] = settings(history, cookieName);
  if (!first) return { observed: 'inconclusive', metrics: { cookieSet: false } };
  const attributes = attributesOf(first.line);
  const metrics = { httpOnly: has(attributes, 'httponly'), sameSite: attributes.find((a) => a.startsWith('samesite='))?.slice('samesite='.length) ?? 'none set', secure: has(attributes, 'secure'), bytes: Buffer.byteLength(first.line) };
  if (metrics.httpOnly && metrics.sameSite !== 'none set') return { observed: 'flags-set', metrics };
  return { observed: 'flags-missing', metrics, firstBad: firstBad(first.op, 'HttpOnly and SameSite on the session cookie', hidden(first.line)) };
}

/** The session cookie set over https (behind the TLS proxy): secure, or not-secure. */
export function cookieSecureVerdict(history: readonly CheckOp[], cookieName: string): Verdict {
  const [first] = settings(history, cookieName);
  if (!first) return { observed: 'inconclusive', metrics: { cookieSet: false } };
  if (has(attributesOf(first.line), 'secure')) return { observed: 'secure', metrics: { secure: true } };
  return { observed: 'not-secure', metrics: { secure: false }, firstBad: firstBad(first.op, 'Secure on a cookie set over https', hidden(first.line)) };
}

/**
 * The session cookie's size as one session writes: too-big once it passed cookieLimitBytes,
 * grows when it ended at least twice its first size, constant otherwise.
 */
export function cookieSizeVerdict(history: readonly CheckOp[], cookieName: string): Verdict {
  const sizes = settings(history, cookieName).map(({ op, line }) => ({ op, bytes: Buffer.byteLength(line.split(';')[0]!) }));
  if (sizes.length === 0) return { observed: 'inconclusive', metrics: { cookieSet: false } };
  const metrics = { writes: history.filter((op) => op.action === 'write' && op.type === 'ok').length, firstBytes: sizes[0]!.bytes, largestBytes: Math.max(...sizes.map((s) => s.bytes)) };
  const over = sizes.find((s) => s.bytes > cookieLimitBytes);
  if (over) return { observed: 'too-big', metrics, firstBad: firstBad(over.op, `a cookie of at most ${cookieLimitBytes} bytes`, `${over.bytes} bytes`) };
  return { observed: metrics.largestBytes >= 2 * metrics.firstBytes ? 'grows' : 'constant', metrics };
}
