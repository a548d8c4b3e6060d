/** Go's regexp (RE2) in linear time, anchored as Prometheus compiles matchers and label_replace. */
import { RE2JS, RE2JSException } from 're2js';
import { BoundedCache } from './bounded-cache.js';

/** A compiled Go regex, fully anchored: it matches a whole value or nothing. */
export interface GoRegex {
  /** The Go pattern as written, before anchoring. */
  readonly source: string;
  /** Rough heap cost of the compiled program, for bounding caches. */
  readonly bytes: number;
  /** Whether the whole of `value` matches. Linear in `value`, whatever the pattern. */
  test(value: string): boolean;
  /** The captures of a whole-value match (`[0]` is the value, `.groups` the named ones), or null. */
  exec(value: string): RegExpExecArray | null;
}

/**
 * Measured heap per compiled instruction (about 76 bytes on Node 20, with the parse tree and
 * program), rounded up; plus the pattern text twice (source and anchored copy, UTF-16).
 */
const BYTES_PER_INSTRUCTION = 96;

/**
 * Longest pattern compiled (literal alternatives of any length take a fast path before this).
 * The engine compiles at roughly 4–10 µs per character and compiling cannot be interrupted: a
 * 1 MB pattern would hold the engine for 5–10 s and 80 MB, so longer ones are refused.
 */
export const MAX_COMPILED_PATTERN = 64 * 1024;

/**
 * Compiles a Go RE2 pattern the way Prometheus compiles label matchers and label_replace's
 * regex: `^(?s:re)$`, so fully anchored with `.` matching newlines; flags may be set anywhere
 * (`(?i)`, `(?i:…)`, `(?-s)`). Matching runs an automaton, never backtracking, so no pattern
 * can take more than linear time in the value.
 * @throws SyntaxError with Go's message (`error parsing regexp: …`) when the pattern is invalid,
 * RangeError (`not supported: …`) when it is longer than {@link MAX_COMPILED_PATTERN}.
 * @example
 * compileGoRegex('(?i:api)|web').test('API'); // true
 * compileGoRegex('api').test('rapid'); // false: fully anchored
 * compileGoRegex('(?P<host>[^:]+):\\d+').exec('db:5432')!.groups!.host; // 'db'
 */
export function compileGoRegex(pattern: string): GoRegex {
  if (pattern.length > MAX_COMPILED_PATTERN) {
    throw new RangeError(
      `not supported: regular expressions longer than ${MAX_COMPILED_PATTERN} characters, other than literal alternatives (a|b|c)`,
    );
  }
  let re: RE2JS;
  try {
    // Parsed alone first, so `a)|(b` is refused as Go refuses it, not rebalanced by the wrapper.
    RE2JS.compile(pattern);
    re = RE2JS.compile(`^(?s:${pattern})$`);
  } catch (cause) {
    if (cause instanceof RE2JSException) throw new SyntaxError(cause.message, { cause });
    throw cause;
  }
  return {
    source: pattern,
    bytes: re.programSize() * BYTES_PER_INSTRUCTION + pattern.length * 4,
    test: (value) => re.testExact(value),
    exec: (value) => {
      const found = re.exec(value);
      return found === null ? null : (found as RegExpExecArray);
    },
  };
}

const cache = new BoundedCache<string, GoRegex>({ maxEntries: 1000, maxBytes: 32 * 2 ** 20 });

/**
 * {@link compileGoRegex}, cached: queries repeat the same few regexes. The cache holds at most
 * 1 000 regexes and 32 MiB, so a flood of large one-off patterns cannot pin memory.
 * @throws SyntaxError as {@link compileGoRegex}.
 * @example
 * cachedGoRegex('5..').test('503'); // true
 */
export function cachedGoRegex(pattern: string): GoRegex {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compileGoRegex(pattern);
    cache.set(pattern, re, re.bytes);
  }
  return re;
}
