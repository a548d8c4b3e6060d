/** RE2's character classes in JavaScript: POSIX, Unicode `\pL`, Perl `\s`, `[...]`, case folding. */
import { fail, readCharEscape } from './char-escape.js';

type Range = readonly [number, number];

/** RE2's ASCII character classes as code point ranges. */
const POSIX_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Go's `\s` is ASCII only and leaves out `\v`; JavaScript's takes every Unicode space. */
export const GO_SPACE = '\\t\\n\\f\\r ';
/** Characters with a meaning inside a class. */
const CLASS_SYNTAX = new Set('\\]^-['.split(''));
/** Case pairs beyond toLowerCase/toUpperCase that Go's simple folding adds. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  k: '\u212A',
  K: '\u212A',
  '\u212A': 'kK',
  s: '\u017F',
  S: '\u017F',
  '\u017F': 'sS',
};

/** The characters Go's case folding treats as equal to `ch` (itself included). */
export function caseVariants(ch: string): string[] {
  const out = new Set([ch]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase(), ...(EXTRA_FOLDS[ch] ?? '')]) {
    if ([...v].length === 1) out.add(v);
  }
  return [...out];
}

export function escapeInClass(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (CLASS_SYNTAX.has(ch)) return `\\${ch}`;
  return cp < 0x20 || cp === 0x7f ? `\\u{${cp.toString(16)}}` : ch;
}

/** `\pL` / `\p{Greek}` / `\p{^Greek}` in JavaScript's spelling (scripts need `Script=`). */
function unicodeClass(p: string, rawName: string): string {
  let name = rawName;
  let negated = p === 'P';
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  if (!/^[A-Za-z_]+$/.test(name)) fail(`invalid character class range \\${p}{${rawName}}`);
  const prop = name === 'Any' || name.length <= 2 ? name : `Script=${name}`;
  return `\\${negated ? 'P' : 'p'}{${prop}}`;
}

/** Reads `\p` / `\P` at `i` (the backslash): the JS class text and the index after it. */
export function readUnicodeClass(re: string, i: number): [string, number] {
  const p = re[i + 1]!;
  if (re[i + 2] === '{') {
    const close = re.indexOf('}', i + 3);
    if (close < 0) fail(`invalid character class range \\${p}{`);
    return [unicodeClass(p, re.slice(i + 3, close)), close + 1];
  }
  const cp = re.codePointAt(i + 2);
  if (cp === undefined) fail(`invalid character class range \\${p}`);
  const ch = String.fromCodePoint(cp!);
  return [unicodeClass(p, ch), i + 2 + ch.length];
}

/** Adds to `ranges` the case counterparts of its letters, as `(?i)` asks. */
function foldRanges(ranges: Range[]): void {
  const extra: Range[] = [];
  for (const [lo, hi] of ranges) {
    // ASCII letters: shift the overlap with a-z / A-Z by 32.
    for (const [from, to, shift] of [
      [0x61, 0x7a, -32],
      [0x41, 0x5a, 32],
    ] as const) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, to);
      if (a <= b) extra.push([a + shift, b + shift]);
    }
    const hiScan = Math.min(hi, lo + 512);
    for (let cp = lo; cp <= hiScan; cp++) {
      const ch = String.fromCodePoint(cp);
      if (cp < 0x80 && !EXTRA_FOLDS[ch]) continue;
      for (const v of caseVariants(ch)) {
        const vcp = v.codePointAt(0)!;
        if (vcp >= 0x80 || cp >= 0x80) extra.push([vcp, vcp]);
      }
    }
  }
  ranges.push(...extra);
}

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/**
 * Translates the `[...]` class starting at `start` (case-folded when `foldCase`, as under `(?i)`):
 * the JS text and the index after it.
 */
export function translateClass(re: string, start: number, foldCase: boolean): [string, number] {
  let i = start + 1;
  let negated = false;
  if (re[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Range[] = [];
  const escapes: string[] = [];
  let first = true;
  // Reads one class character (a literal or a character escape) at `i`.
  const classChar = (): number => {
    if (re[i] === '\\') {
      const [ch, end] = readCharEscape(re, i);
      i = end;
      return ch.codePointAt(0)!;
    }
    const cp = re.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return cp;
  };
  while (i < re.length && (re[i] !== ']' || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(re.slice(i));
    if (posix) {
      const set = POSIX_CLASSES[posix[2]!];
      if (set === undefined) fail(`invalid character class range ${posix[0]}`);
      ranges.push(...(posix[1] ? complement(set!) : set!));
      i += posix[0].length;
      continue;
    }
    const esc = re[i] === '\\' ? re[i + 1] : undefined;
    if (esc === 'p' || esc === 'P') {
      const [text, end] = readUnicodeClass(re, i);
      escapes.push(text);
      i = end;
      continue;
    }
    if (esc !== undefined && 'dDwWsS'.includes(esc)) {
      escapes.push(esc === 's' ? GO_SPACE : `\\${esc}`);
      i += 2;
      continue;
    }
    const lo = classChar();
    let hi = lo;
    if (re[i] === '-' && i + 1 < re.length && re[i + 1] !== ']') {
      i++;
      hi = classChar();
      if (hi < lo) {
        fail(
          `invalid character class range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`,
        );
      }
    }
    ranges.push([lo, hi]);
  }
  if (i >= re.length) fail('missing closing ]');
  if (foldCase) foldRanges(ranges);
  const body = ranges
    .map(([lo, hi]) =>
      lo === hi ? escapeInClass(lo) : `${escapeInClass(lo)}-${escapeInClass(hi)}`,
    )
    .join('');
  return [`[${negated ? '^' : ''}${body}${escapes.join('')}]`, i + 1];
}
