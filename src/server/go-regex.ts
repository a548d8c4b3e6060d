/**
 * Go (RE2) regular expressions in JavaScript, shared by the head store's label matchers and
 * PromQL (matcher validation, label_replace): syntax translation and Go's `Regexp.Expand`.
 */

/** Go's regexp flags in one scope: `(?i)`, `(?s)`, `(?m)`, `(?U)`. */
interface Flags {
  readonly i: boolean;
  readonly s: boolean;
  readonly m: boolean;
  readonly U: boolean;
}

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
const GO_SPACE = '\\t\\n\\f\\r ';
/** Characters with a meaning outside a class, escaped when they stand for themselves. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
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
const MAX_REPEAT = 1000;

const fail = (message: string): never => {
  throw new SyntaxError(message);
};

const isAsciiAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

/** The characters Go's case folding treats as equal to `ch` (itself included). */
function caseVariants(ch: string): string[] {
  const out = new Set([ch]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase(), ...(EXTRA_FOLDS[ch] ?? '')]) {
    if ([...v].length === 1) out.add(v);
  }
  return [...out];
}

function escapeLiteral(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

function escapeInClass(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (CLASS_SYNTAX.has(ch)) return `\\${ch}`;
  return cp < 0x20 || cp === 0x7f ? `\\u{${cp.toString(16)}}` : ch;
}

/** One literal character outside a class; `[kK\u212A]` under `(?i)`. */
function literal(ch: string, flags: Flags): string {
  if (!flags.i) return escapeLiteral(ch);
  const variants = caseVariants(ch);
  if (variants.length === 1) return escapeLiteral(ch);
  return `[${variants.map((v) => escapeInClass(v.codePointAt(0)!)).join('')}]`;
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
function readUnicodeClass(re: string, i: number): [string, number] {
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

/**
 * Go's parseEscape for escapes that stand for one character (`\x{263a}`, `\101`, `\t`, `\.`):
 * the character and the index after the escape. Throws for anything else.
 */
function readCharEscape(re: string, i: number): [string, number] {
  const c = re[i + 1];
  if (c === undefined) return fail('trailing backslash at end of expression');
  if (c >= '1' && c <= '7' && !isOctal(re[i + 2])) {
    // A lone digit would be a backreference, which RE2 does not support.
    fail(`invalid escape sequence \\${c}`);
  }
  if (c >= '0' && c <= '7') {
    let end = i + 2;
    while (end < i + 4 && isOctal(re[end])) end++;
    return [String.fromCodePoint(Number.parseInt(re.slice(i + 1, end), 8)), end];
  }
  if (c === 'x') {
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(re.slice(i + 2));
    const hex = braced ? braced[1]! : /^[0-9A-Fa-f]{2}/.exec(re.slice(i + 2))?.[0];
    const cp = hex === undefined ? Number.NaN : Number.parseInt(hex, 16);
    if (Number.isNaN(cp) || cp > 0x10ffff) fail('invalid escape sequence \\x');
    return [String.fromCodePoint(cp), i + 2 + (braced ? braced[0].length : 2)];
  }
  const simple: Record<string, string> = { a: '\x07', f: '\f', t: '\t', n: '\n', r: '\r', v: '\v' };
  if (simple[c] !== undefined) return [simple[c], i + 2];
  const cp = re.codePointAt(i + 1)!;
  // Any escaped ASCII punctuation (or other non-alphanumeric) is itself.
  if (cp < 0x80 && !isAsciiAlnum(c)) return [c, i + 2];
  return fail(`invalid escape sequence \\${String.fromCodePoint(cp)}`);
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

/** Translates the `[...]` class starting at `start`: the JS text and the index after it. */
function translateClass(re: string, start: number, flags: Flags): [string, number] {
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
  if (flags.i) foldRanges(ranges);
  const body = ranges
    .map(([lo, hi]) =>
      lo === hi ? escapeInClass(lo) : `${escapeInClass(lo)}-${escapeInClass(hi)}`,
    )
    .join('');
  return [`[${negated ? '^' : ''}${body}${escapes.join('')}]`, i + 1];
}

/**
 * Go regexp syntax → JavaScript source for a `u`-mode RegExp. Bridges inline flags anywhere
 * (`(?i)`, `(?i:…)`, `(?-s)`, `(?m)`, `(?U)`) by rewriting letters, dots, anchors and
 * quantifiers in their scope, `(?P<name>…)`, `\pL`, `\x{…}`, octal escapes, `\z`, `\A`,
 * `\Q…\E`, POSIX classes and Go's ASCII `\s`; rejects what RE2 lacks (lookaround,
 * backreferences, `\k`, ...). `initial` holds the flags in force at the start.
 */
function translate(re: string, initial: Flags): string {
  let out = '';
  let flags = initial;
  const stack: Flags[] = [];
  let i = 0;
  // Emits a quantifier and its laziness, which `(?U)` swaps.
  const quantifier = (q: string): void => {
    let lazy = false;
    if (re[i] === '?') {
      lazy = true;
      i++;
    }
    out += q + (lazy !== flags.U ? '?' : '');
  };
  while (i < re.length) {
    const c = re[i]!;
    if (c === '\\') {
      const next = re[i + 1];
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const text = re.slice(i + 2, end < 0 ? re.length : end);
        for (const ch of text) out += literal(ch, flags);
        i = end < 0 ? re.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const [text, end] = readUnicodeClass(re, i);
        out += text;
        i = end;
        continue;
      }
      const perl: Record<string, string> = {
        A: '(?<![\\s\\S])',
        z: '(?![\\s\\S])',
        b: '\\b',
        B: '\\B',
        d: '\\d',
        D: '\\D',
        w: '\\w',
        W: '\\W',
        s: `[${GO_SPACE}]`,
        S: `[^${GO_SPACE}]`,
      };
      if (next !== undefined && perl[next] !== undefined) {
        out += perl[next];
        i += 2;
        continue;
      }
      const [ch, end] = readCharEscape(re, i);
      out += literal(ch, flags);
      i = end;
      continue;
    }
    if (c === '[') {
      const [cls, end] = translateClass(re, i, flags);
      out += cls;
      i = end;
      continue;
    }
    if (c === '(') {
      stack.push(flags);
      const rest = re.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      const flagged = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (flagged && flagged[2] !== '') {
        let next = { ...flags };
        for (const f of flagged[1]!) next = { ...next, [f]: true };
        for (const f of flagged[2] ?? '') next = { ...next, [f]: false };
        if (flagged[3] === ')') {
          // `(?i)` changes the flags until the end of the enclosing group.
          stack.pop();
        } else {
          out += '(?:';
        }
        flags = next;
        i += flagged[0].length;
      } else if (rest.startsWith('(?')) {
        fail(`invalid or unsupported Perl syntax \`${rest.slice(0, 3)}\``);
      } else {
        out += '(';
        i++;
      }
      continue;
    }
    if (c === ')') {
      flags = stack.pop() ?? flags;
      out += ')';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      i++;
      quantifier(c);
      continue;
    }
    if (c === '{') {
      // `{n}`, `{n,}`, `{n,m}` repeat; any other brace is a literal.
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
      if (rep) {
        const min = Number(rep[1]);
        const max = rep[3] ? Number(rep[3]) : min;
        if (min > MAX_REPEAT || max > MAX_REPEAT || (rep[3] && max < min)) {
          fail(`invalid repeat count ${rep[0]}`);
        }
        i += rep[0].length;
        quantifier(rep[0]);
        continue;
      }
    }
    if (c === '.') out += flags.s ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += flags.m ? '(?:(?<![\\s\\S])|(?<=\\n))' : '^';
    else if (c === '$') out += flags.m ? '(?:(?![\\s\\S])|(?=\\n))' : '$';
    else if (c === '|') out += '|';
    else {
      const ch = String.fromCodePoint(re.codePointAt(i)!);
      out += literal(ch, flags);
      i += ch.length;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Compiles a Go RE2 pattern the way Prometheus compiles label matchers and label_replace's
 * regex: fully anchored, `.` matching newlines (`^(?s:re)$`), matching code points as Go
 * matches runes. Flags may be set anywhere (`(?i)`, `(?i:…)`, `(?-s)`).
 * @throws SyntaxError when the pattern is not valid RE2 (or not translatable).
 * @example
 * compileGoRegex('(?i:api)|web').test('API'); // true
 * compileGoRegex('api').test('rapid'); // false: fully anchored
 * compileGoRegex('(?P<host>[^:]+):\\d+').exec('db:5432')!.groups!.host; // 'db'
 */
export function compileGoRegex(pattern: string): RegExp {
  const source = translate(pattern, { i: false, s: true, m: false, U: false });
  return new RegExp(`^(?:${source})$`, 'u');
}

/**
 * Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` become the captured text (empty when
 * the group did not take part or does not exist); `$$` is a literal `$`. A name is the longest
 * run of letters, digits and `_`, so `$1x` means `${1x}`. A `$` not followed by a valid name is
 * kept as is.
 * @example
 * expandGoTemplate('$1-${2}x', /^(a)(b)$/.exec('ab')!); // 'a-bx'
 */
export function expandGoTemplate(template: string, match: RegExpExecArray): string {
  let dollar = template.indexOf('$');
  if (dollar < 0) return template;
  let out = '';
  let pos = 0;
  while (dollar >= 0) {
    out += template.slice(pos, dollar);
    let i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      pos = i + 1;
      dollar = template.indexOf('$', pos);
      continue;
    }
    const brace = template[i] === '{';
    if (brace) i++;
    const nameStart = i;
    while (i < template.length) {
      const cp = template.codePointAt(i)!;
      if (!isNameRune(cp)) break;
      i += cp > 0xffff ? 2 : 1;
    }
    const name = template.slice(nameStart, i);
    if (name === '' || (brace && template[i] !== '}')) {
      // Malformed reference: the '$' is literal text and scanning resumes right after it.
      out += '$';
      pos = dollar + 1;
      dollar = template.indexOf('$', pos);
      continue;
    }
    if (brace) i++;
    out += capture(name, match);
    pos = i;
    dollar = template.indexOf('$', pos);
  }
  return out + template.slice(pos);
}

const NAME_RUNE = /[\p{L}\p{Nd}_]/u;

function isNameRune(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 0x30 && cp <= 0x39) ||
      (cp >= 0x41 && cp <= 0x5a) ||
      (cp >= 0x61 && cp <= 0x7a) ||
      cp === 0x5f
    );
  }
  return NAME_RUNE.test(String.fromCodePoint(cp));
}

function capture(name: string, match: RegExpExecArray): string {
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const d = name.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + d;
  }
  // Go does not read a number with a leading zero as a group index.
  if (name.length > 1 && name[0] === '0') num = -1;
  if (num >= 0) return num < match.length ? (match[num] ?? '') : '';
  return match.groups?.[name] ?? '';
}
