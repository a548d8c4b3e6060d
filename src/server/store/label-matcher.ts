/** Label matchers compiled once per query: anchored, cached regexes and a literal-set fast path. */
import { errorMessage } from '../error-message.js';
import { compileGoRegex } from '../go-regex/compile-go-regex.js';
import type { LabelMatcher } from '../model.js';

/** A matcher ready to test values and to pick postings. */
export interface CompiledMatcher {
  readonly name: string;
  /** Whether a value satisfies the matcher; an absent label is tested as `''`. */
  readonly matches: (value: string) => boolean;
  /** True when series without the label match too. */
  readonly matchesEmpty: boolean;
  /** True when every series matches (`=~".*"`), so the matcher can be skipped. */
  readonly matchesAll: boolean;
  /** When set, the only non-empty values that match, so postings are looked up, not scanned. */
  readonly literals: readonly string[] | null;
}

interface Pattern {
  readonly test: (value: string) => boolean;
  readonly literals: readonly string[] | null;
  readonly matchesAll: boolean;
}

const CACHE_LIMIT = 1000;
const patterns = new Map<string, Pattern>();

/**
 * Compiles a matcher. Regexes use Go's RE2 syntax and are anchored at both ends with `.`
 * matching newlines (`^(?s:re)$`), as in Prometheus; inline flags such as `(?i)` or `(?i:…)`
 * work anywhere.
 *
 * @example
 * const m = compileMatcher({ name: 'status', type: '=~', value: '5..' });
 * m.matches('503'); // true
 * m.matches('1503'); // false: anchored
 * @throws Error naming the matcher when the regex does not compile.
 */
export function compileMatcher(m: LabelMatcher): CompiledMatcher {
  const { name, value } = m;
  switch (m.type) {
    case '=':
      return {
        name,
        matches: (v) => v === value,
        matchesEmpty: value === '',
        matchesAll: false,
        literals: value === '' ? [] : [value],
      };
    case '!=':
      return {
        name,
        matches: (v) => v !== value,
        matchesEmpty: value !== '',
        matchesAll: false,
        literals: null,
      };
    case '=~': {
      const p = pattern(m);
      return {
        name,
        matches: p.test,
        matchesEmpty: p.matchesAll || p.test(''),
        matchesAll: p.matchesAll,
        literals: p.literals === null ? null : p.literals.filter((l) => l !== ''),
      };
    }
    case '!~': {
      const p = pattern(m);
      const test = p.test;
      return {
        name,
        matches: (v) => !test(v),
        matchesEmpty: !test(''),
        matchesAll: false,
        literals: null,
      };
    }
    default:
      throw new Error(`unknown matcher type ${JSON.stringify(m.type)} for label ${name}`);
  }
}

function pattern(m: LabelMatcher): Pattern {
  let p = patterns.get(m.value);
  if (p === undefined) {
    p = compilePattern(m);
    // Queries repeat the same few regexes; a bounded cache keeps a flood of one-offs cheap.
    if (patterns.size >= CACHE_LIMIT) patterns.delete(patterns.keys().next().value!);
    patterns.set(m.value, p);
  }
  return p;
}

function compilePattern(m: LabelMatcher): Pattern {
  const source = m.value;
  if (source === '.*') return { test: () => true, literals: null, matchesAll: true };
  const literals = literalAlternatives(source);
  if (literals !== null) {
    if (literals.length === 1) {
      const only = literals[0];
      return { test: (v) => v === only, literals, matchesAll: false };
    }
    const set = new Set(literals);
    return { test: (v) => set.has(v), literals: [...set], matchesAll: false };
  }
  let re: RegExp;
  try {
    re = compileGoRegex(source);
  } catch (cause) {
    const why = errorMessage(cause);
    throw new Error(
      `invalid regular expression in matcher ${m.name}${m.type}${JSON.stringify(m.value)}: ${why}`,
      { cause },
    );
  }
  return { test: (v) => re.test(v), literals: null, matchesAll: false };
}

const META = new Set('^$.|?*+()[]{}'.split(''));
const PUNCTUATION = /^[!-/:-@[-`{-~]$/;

/** `a|b\.c|d` → `['a', 'b.c', 'd']`; null when the regex is more than literal alternatives. */
export function literalAlternatives(source: string): string[] | null {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || !PUNCTUATION.test(next)) return null;
      current += next;
      i++;
    } else if (c === '|') {
      out.push(current);
      current = '';
    } else if (META.has(c)) {
      return null;
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}
