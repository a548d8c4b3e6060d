/** Tests for the whole-value regex: its fast paths agree with Go's engine. */
import { describe, expect, it } from 'vitest';
import { compileGoRegex, MAX_COMPILED_PATTERN } from './compile-go-regex.js';
import { compileValuePattern } from './value-pattern.js';

const VALUES = [
  '',
  'a',
  'b',
  'ab',
  'api',
  'api-1',
  'x-api',
  'x-api-y',
  'prod\neu',
  '.',
  'a.b',
  '|',
];

describe('compileValuePattern', () => {
  it.each([
    'a',
    'a|b',
    'a|',
    '(a|b)',
    '(?:api|ab)',
    '(a)|(b)',
    '.*',
    '.+',
    'api.*',
    '.*api',
    '.*api.*',
    '.*.*',
    'a\\.b',
    'a\\.*',
    '\\|',
    '.*\\..*',
    '(?i)API.*',
  ])('%s answers as the engine does', (pattern) => {
    const fast = compileValuePattern(pattern);
    const engine = compileGoRegex(pattern);
    for (const v of VALUES) expect([v, fast.test(v)]).toEqual([v, engine.test(v)]);
  });

  it('looks literal alternatives up instead of scanning', () => {
    expect(compileValuePattern('(?:api|web)').literals).toEqual(['api', 'web']);
    expect(compileValuePattern('.*').matchesAll).toBe(true);
    expect(compileValuePattern('a.*').literals).toBeNull();
  });

  it('takes literal alternatives of any length, and refuses other overlong regexes', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `value-${i}`);
    expect(compileValuePattern(values.join('|')).test('value-99999')).toBe(true);
    expect(() => compileValuePattern(`${'a.'.repeat(MAX_COMPILED_PATTERN)}`)).toThrow(
      /^not supported: regular expressions longer than/,
    );
  });

  it('reports Go errors in Go words', () => {
    expect(() => compileValuePattern('(.*')).toThrow(
      'error parsing regexp: missing closing ): `(.*`',
    );
    expect(() => compileValuePattern('a)|(b')).toThrow(
      'error parsing regexp: unexpected ): `a)|(b`',
    );
  });
});
