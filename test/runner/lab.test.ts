import { describe, expect, it } from 'vitest';
import { classify } from '../../runner/lab.ts';

describe('classify', () => {
  it.each([
    [true, 200, 'ok'],
    [true, 400, 'fail'],
    [true, 503, 'info'],
    [true, 502, 'info'],
    [true, undefined, 'info'],
    [false, 503, 'fail'],
    [false, undefined, 'fail'],
  ] as const)('counts a %s write answered %s as %s', (isWrite, status, type) => {
    expect(classify(isWrite, status)).toBe(type);
  });
});
