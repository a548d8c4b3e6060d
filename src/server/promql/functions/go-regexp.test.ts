/** Tests for the Go regexp translation and Regexp.Expand emulation. */
import { describe, expect, it } from 'vitest';
import { compileAnchoredGoRegexp, expandGoTemplate } from './go-regexp.js';

const re = (source: string) => {
  const r = compileAnchoredGoRegexp(source);
  if (r === undefined) throw new Error(`did not compile: ${source}`);
  return r;
};
const expand = (template: string, source: string, input: string) =>
  expandGoTemplate(template, re(source).exec(input)!);

describe('compileAnchoredGoRegexp', () => {
  it('anchors at both ends and lets . match newlines', () => {
    expect(re('value-(.*)').test('source-value-10')).toBe(false);
    expect(re('a|b').test('ab')).toBe(false);
    expect(re('a|b').test('b')).toBe(true);
    expect(re('a.b').test('a\nb')).toBe(true);
  });

  it('accepts Go syntax: named groups, leading flags, \\pL, POSIX classes, \\A \\z', () => {
    expect(re('(?P<host>[^:]+):\\d+').exec('db:5432')!.groups!.host).toBe('db');
    expect(re('(?i)abc').test('ABC')).toBe(true);
    expect(re('\\pL+').test('héllo')).toBe(true);
    expect(re('[[:alpha:]]+[[:digit:]]').test('abc1')).toBe(true);
    expect(re('[[:alpha:]]+').test('ab1')).toBe(false);
    expect(re('\\Aab\\z').test('ab')).toBe(true);
    expect(re('[]a]+').test(']a]')).toBe(true);
    expect(re('a\\-b').test('a-b')).toBe(true);
  });

  it('rejects invalid patterns and what RE2 does not support', () => {
    expect(compileAnchoredGoRegexp('(.*')).toBeUndefined();
    expect(compileAnchoredGoRegexp('(a)\\1')).toBeUndefined();
    expect(compileAnchoredGoRegexp('a(?=b)')).toBeUndefined();
    expect(compileAnchoredGoRegexp('(?<!a)b')).toBeUndefined();
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
