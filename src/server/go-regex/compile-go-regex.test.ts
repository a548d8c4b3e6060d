/** Tests for the Go (RE2) regexp syntax translation. */
import { describe, expect, it } from 'vitest';
import { compileGoRegex } from './compile-go-regex.js';

describe('compileGoRegex', () => {
  it.each([
    ['api|web', 'web', true],
    ['api', 'rapid', false],
    ['a|b', 'ab', false],
    ['value-(.*)', 'source-value-10', false],
    ['(?i)api', 'API', true],
    ['(?i:PRO).*', 'production', true],
    ['(?i:PRO).*', 'prOduction', true],
    ['.*(?i:DUC).*', 'proDuction', true],
    ['((?i)PRO)d', 'prod', true],
    ['((?i)PRO)d', 'proD', false],
    ['(?i)pro(?-i)d', 'PROd', true],
    ['(?i)pro(?-i)d', 'PROD', false],
    ['(?i)[a-c]+', 'AbC', true],
    ['(?i)[^a-c]', 'B', false],
    ['(?i)[[:upper:]]+', 'abC', true],
    ['(?i)\\Qa.b\\E', 'A.B', true],
    ['(?i)é', 'É', true],
    ['(?i)k', '\u212A', true],
    ['(?P<x>a)b', 'ab', true],
    ['(?<x>a)b', 'ab', true],
    ['a{2}', 'aa', true],
    ['a{2,', 'a{2,', true],
    ['a{,2}', 'a{,2}', true],
    ['x{}', 'x{}', true],
    ['[[:digit:]]+', '123', true],
    ['[[:alpha:]_]+', 'a_B', true],
    ['[[:alpha:]]+[[:digit:]]', 'abc1', true],
    ['[[:alpha:]]+', 'ab1', false],
    ['[[:^digit:]]+', 'ab', true],
    ['[[:^digit:]]+', 'a1', false],
    ['[]a]+', ']a]', true],
    ['[^]a]', 'b', true],
    ['[^]a]', ']', false],
    ['[a-]+', 'a-', true],
    ['a\\-b', 'a-b', true],
    ['a\\_b\\#', 'a_b#', true],
    ['a]b', 'a]b', true],
    ['\\pL+', 'éa', true],
    ['\\pL+', 'héllo', true],
    ['[\\pL\\d]+', 'é1', true],
    ['\\PL', '1', true],
    ['\\p{Greek}', 'α', true],
    ['\\p{^Greek}', 'α', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\x41\\x{263a}\\101', 'A☺A', true],
    ['\\Aab\\z', 'ab', true],
    ['a.b', 'a\nb', true],
    ['(?s)a.b', 'a\nb', true],
    ['(?-s)a.b', 'a\nb', false],
    ['(?-s:.)', '\n', false],
    ['(?m)a$\\n^b', 'a\nb', true],
    ['\\s', '\u00a0', false],
    ['\\s', ' ', true],
    ['.', '😀', true],
    ['request_duration_seconds\\d*_bucket', 'request_duration_seconds2_bucket', true],
  ])('%s on %j → %s', (pattern, input, matches) => {
    expect(compileGoRegex(pattern).test(input)).toBe(matches);
  });

  it('captures named groups', () => {
    expect(compileGoRegex('(?P<host>[^:]+):\\d+').exec('db:5432')!.groups!.host).toBe('db');
  });

  it('swaps greediness under (?U)', () => {
    expect(compileGoRegex('(?U)(a+)(a*)').exec('aaa')!.slice(1)).toEqual(['a', 'aa']);
    expect(compileGoRegex('(?U)(a+?)(a*)').exec('aaa')!.slice(1)).toEqual(['aaa', '']);
    expect(compileGoRegex('(a+?)(a*)').exec('aaa')!.slice(1)).toEqual(['a', 'aa']);
  });

  it.each([
    '(.*',
    '[z-a]',
    '[a',
    'a(?=b)',
    'a(?!b)',
    '(?<!a)b',
    '(?<=a)b',
    '(a)\\1',
    '(?P<a>x)\\k<a>',
    '\\Z',
    '*a',
    'a\\',
    'a{1001}',
    '(?i-)a',
    '[[:nope:]]',
  ])('rejects %s', (pattern) => {
    expect(() => compileGoRegex(pattern)).toThrow(SyntaxError);
  });
});
