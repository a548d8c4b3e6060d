import { describe, expect, it } from 'vitest';
import { literalAlternatives } from '../go-regex/value-pattern.js';
import { compileMatcher } from './label-matcher.js';

const m = (type: '=' | '!=' | '=~' | '!~', value: string) =>
  compileMatcher({ name: 'l', type, value });

describe('compileMatcher', () => {
  it('anchors regexes at both ends', () => {
    const r = m('=~', '5..');
    expect(r.matches('503')).toBe(true);
    expect(r.matches('1503')).toBe(false);
    expect(r.matches('5030')).toBe(false);
    expect(m('=~', 'a|b').matches('ab')).toBe(false);
    expect(m('=~', 'fo+|ba.').matches('xfoo')).toBe(false);
    expect(m('=~', 'fo+|ba.').matches('bar')).toBe(true);
  });

  it('lets . match a newline, as Prometheus does', () => {
    expect(m('=~', 'a.b').matches('a\nb')).toBe(true);
  });

  it('knows which matchers match the empty string (absent label)', () => {
    expect(m('=', '').matchesEmpty).toBe(true);
    expect(m('=', 'x').matchesEmpty).toBe(false);
    expect(m('!=', 'x').matchesEmpty).toBe(true);
    expect(m('!=', '').matchesEmpty).toBe(false);
    expect(m('=~', '.*').matchesEmpty).toBe(true);
    expect(m('=~', '.*').matchesAll).toBe(true);
    expect(m('=~', '.+').matchesEmpty).toBe(false);
    expect(m('=~', 'a|').matchesEmpty).toBe(true);
    expect(m('!~', '').matchesEmpty).toBe(false);
    expect(m('!~', 'a').matchesEmpty).toBe(true);
  });

  it('turns literal alternations into a set', () => {
    expect(m('=~', 'api|web|db').literals).toEqual(['api', 'web', 'db']);
    expect(m('=~', 'a\\.b|c').literals).toEqual(['a.b', 'c']);
    expect(m('=~', 'a|').literals).toEqual(['a']);
    expect(m('=~', 'a.b').literals).toBeNull();
    expect(m('!~', 'a|b').literals).toBeNull();
    expect(m('!~', 'a|b').matches('c')).toBe(true);
    expect(m('!~', 'a|b').matches('a')).toBe(false);
    expect(literalAlternatives('a\\d')).toBeNull();
    expect(literalAlternatives('(a|b)')).toBeNull();
  });

  it('understands a leading (?i)', () => {
    const r = m('=~', '(?i)get|post');
    expect(r.matches('GET')).toBe(true);
    expect(r.matches('Post')).toBe(true);
    expect(r.matches('put')).toBe(false);
  });

  it('accepts escapes that RE2 allows but Unicode-mode JS does not', () => {
    expect(m('=~', 'a\\-b').matches('a-b')).toBe(true);
  });

  it('throws a clear error for an invalid regex', () => {
    expect(() => m('=~', 'a(b')).toThrow(/invalid regular expression in matcher l=~"a\(b"/);
    expect(() => m('!~', '[')).toThrow(/invalid regular expression/);
  });

  it('caches compiled patterns across matchers', () => {
    const a = m('=~', 'x+y');
    const b = m('=~', 'x+y');
    expect(a.matches).toBe(b.matches);
  });
});
