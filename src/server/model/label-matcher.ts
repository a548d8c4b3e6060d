/** Label matchers compiled once per query: anchored linear-time regexes and literal fast paths. */
import { errorMessage } from '../../shared/error-message.js';
import { compileValuePattern, type ValuePattern } from '../go-regex/value-pattern.js';
import type { LabelMatcher } from './model.js';

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

function pattern(m: LabelMatcher): ValuePattern {
  try {
    return compileValuePattern(m.value);
  } catch (cause) {
    const why = errorMessage(cause);
    throw new Error(
      `invalid regular expression in matcher ${m.name}${m.type}${JSON.stringify(m.value)}: ${why}`,
      { cause },
    );
  }
}
