/** Tests for compileMatcherRegex: Go RE2 patterns behave as in Prometheus's label matchers. */
import { describe, expect, it } from 'vitest';
import { compileMatcherRegex } from './go-regex.js';

describe('compileMatcherRegex', () => {
  it.each([
    ['api|web', 'web', true],
    ['api', 'rapid', false],
    ['(?i)api', 'API', true],
    ['(?i:PRO).*', 'production', true],
    ['(?i:PRO).*', 'prOduction', true],
    ['.*(?i:DUC).*', 'proDuction', true],
    ['((?i)PRO)d', 'prod', true],
    ['((?i)PRO)d', 'proD', false],
    ['(?i)[a-c]+', 'AbC', true],
    ['(?i)[^a-c]', 'B', false],
    ['(?P<x>a)b', 'ab', true],
    ['a{2}', 'aa', true],
    ['a{2,', 'a{2,', true],
    ['[[:digit:]]+', '123', true],
    ['[[:alpha:]_]+', 'a_B', true],
    ['\\pL+', 'éa', true],
    ['\\p{Greek}', 'α', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['request_duration_seconds\\d*_bucket', 'request_duration_seconds2_bucket', true],
  ])('%s on %j → %s', (pattern, input, matches) => {
    expect(compileMatcherRegex(pattern).test(input)).toBe(matches);
  });

  it.each(['(.*', '[z-a]', 'a(?=b)', '(a)\\1', '*a', 'a\\'])('rejects %s', (pattern) => {
    expect(() => compileMatcherRegex(pattern)).toThrow(SyntaxError);
  });
});
