/** Tests for the Go (RE2) regexp translation and the Regexp.Expand emulation. */
import { describe, expect, it } from 'vitest';
import { compileGoRegex, expandGoTemplate } from './go-regex.js';

const expand = (template: string, source: string, input: string) =>
  expandGoTemplate(template, compileGoRegex(source).exec(input)!);

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

describe('expandGoTemplate (Go Regexp.Expand)', () => {
  it('expands numbered and named references', () => {
    expect(expand('$1-value-$2', '(.*)-value-(.*)', 'source-value-10')).toBe('source-value-10');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JavaScript's
    expect(expand('${1}x', '(a)', 'a')).toBe('ax');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go template syntax, not JavaScript's
    expect(expand('$host:${port}', '(?P<host>[^:]+):(?P<port>\\d+)', 'db:5432')).toBe('db:5432');
  });

  it('takes the longest name, so $1x is the (missing) group "1x"', () => {
    expect(expand('$1x', '(a)', 'a')).toBe('');
    expect(expand('$10', '(a)', 'a')).toBe('');
  });

  it('treats $$ as $ and keeps malformed references literally', () => {
    expect(expand('$$1', '(a)', 'a')).toBe('$1');
    expect(expand('cost: $', '(a)', 'a')).toBe('cost: $');
    expect(expand('${1', '(a)', 'a')).toBe('${1');
    expect(expand('$-$1', '(a)', 'a')).toBe('$-a');
  });

  it('gives empty text for groups that did not take part or do not exist', () => {
    expect(expand('[$2]', '(a)|(b)', 'a')).toBe('[]');
    expect(expand('[$9][$nope]', '(a)', 'a')).toBe('[][]');
    expect(expand('[$01]', '(a)', 'a')).toBe('[]');
  });

  it('returns a template without $ unchanged', () => {
    expect(expand('plain', '(a)', 'a')).toBe('plain');
  });
});
