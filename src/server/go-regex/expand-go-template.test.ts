/** Tests for the Go Regexp.Expand emulation. */
import { describe, expect, it } from 'vitest';
import { compileGoRegex } from './compile-go-regex.js';
import { expandGoTemplate } from './expand-go-template.js';

const expand = (template: string, source: string, input: string) =>
  expandGoTemplate(template, compileGoRegex(source).exec(input)!);

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
