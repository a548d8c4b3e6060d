/** The former Go → JavaScript RegExp translation (backtracking): the matcher benchmark's baseline. */

import { fail, readCharEscape } from './char-escape.js';
import {
  caseVariants,
  escapeInClass,
  GO_SPACE,
  readUnicodeClass,
  translateClass,
} from './character-classes.js';

/** Go's regexp flags in one scope: `(?i)`, `(?s)`, `(?m)`, `(?U)`. */
interface Flags {
  readonly i: boolean;
  readonly s: boolean;
  readonly m: boolean;
  readonly U: boolean;
}

/** Characters with a meaning outside a class, escaped when they stand for themselves. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const MAX_REPEAT = 1000;

function escapeLiteral(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

/** One literal character outside a class; `[kK\u212A]` under `(?i)`. */
function literal(ch: string, flags: Flags): string {
  if (!flags.i) return escapeLiteral(ch);
  const variants = caseVariants(ch);
  if (variants.length === 1) return escapeLiteral(ch);
  return `[${variants.map((v) => escapeInClass(v.codePointAt(0)!)).join('')}]`;
}

/** Perl classes and the anchors only Go has, as JavaScript source; Go's `\s` is ASCII only. */
const PERL: Readonly<Record<string, string>> = {
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

/**
 * Go regexp syntax → JavaScript source for a `u`-mode RegExp. Bridges inline flags anywhere
 * (`(?i)`, `(?i:…)`, `(?-s)`, `(?m)`, `(?U)`) by rewriting letters, dots, anchors and
 * quantifiers in their scope, `(?P<name>…)`, `\pL`, `\x{…}`, octal escapes, `\z`, `\A`,
 * `\Q…\E`, POSIX classes and Go's ASCII `\s`; rejects what RE2 lacks (lookaround,
 * backreferences, `\k`, ...). `initial` holds the flags in force at the start.
 */
function translate(re: string, initial: Flags): string {
  return new Translation(re, initial).run();
}

/** One translation under way: where it is in the pattern, what it wrote, the flags in scope. */
class Translation {
  readonly #re: string;
  #i = 0;
  #out = '';
  #flags: Flags;
  /** The flags to restore at each open group's `)`. */
  readonly #stack: Flags[] = [];

  constructor(re: string, initial: Flags) {
    this.#re = re;
    this.#flags = initial;
  }

  /** Translates the whole pattern, one token at a time. */
  run(): string {
    while (this.#i < this.#re.length) {
      const c = this.#re[this.#i]!;
      if (c === '\\') this.#escape();
      else if (c === '[') this.#characterClass();
      else if (c === '(') this.#openGroup();
      else if (c === ')') this.#closeGroup();
      else if (c === '*' || c === '+' || c === '?') {
        this.#i++;
        this.#quantifier(c);
      } else if (c !== '{' || !this.#repeat()) this.#single(c);
    }
    return this.#out;
  }

  /** A backslash and what follows: `\Q…\E`, `\pL`, a Perl class or anchor, or one character. */
  #escape(): void {
    const re = this.#re;
    const i = this.#i;
    const next = re[i + 1];
    if (next === 'Q') {
      const end = re.indexOf('\\E', i + 2);
      const text = re.slice(i + 2, end < 0 ? re.length : end);
      for (const ch of text) this.#out += literal(ch, this.#flags);
      this.#i = end < 0 ? re.length : end + 2;
    } else if (next === 'p' || next === 'P') {
      const [text, end] = readUnicodeClass(re, i);
      this.#out += text;
      this.#i = end;
    } else if (next !== undefined && PERL[next] !== undefined) {
      this.#out += PERL[next];
      this.#i += 2;
    } else {
      const [ch, end] = readCharEscape(re, i);
      this.#out += literal(ch, this.#flags);
      this.#i = end;
    }
  }

  /** A bracketed class, case-folded under `(?i)`. */
  #characterClass(): void {
    const [cls, end] = translateClass(this.#re, this.#i, this.#flags.i);
    this.#out += cls;
    this.#i = end;
  }

  /** `(`: a named group, a flag group or bare flags, or a plain group. */
  #openGroup(): void {
    this.#stack.push(this.#flags);
    const rest = this.#re.slice(this.#i);
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    const flagged = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
    if (named) {
      this.#out += `(?<${named[1]}>`;
      this.#i += named[0].length;
    } else if (flagged && flagged[2] !== '') {
      let next = { ...this.#flags };
      for (const f of flagged[1]!) next = { ...next, [f]: true };
      for (const f of flagged[2] ?? '') next = { ...next, [f]: false };
      if (flagged[3] === ')') {
        // `(?i)` changes the flags until the end of the enclosing group.
        this.#stack.pop();
      } else {
        this.#out += '(?:';
      }
      this.#flags = next;
      this.#i += flagged[0].length;
    } else if (rest.startsWith('(?')) {
      fail(`invalid or unsupported Perl syntax \`${rest.slice(0, 3)}\``);
    } else {
      this.#out += '(';
      this.#i++;
    }
  }

  /** `)`: the group ends, and with it the flags set inside. */
  #closeGroup(): void {
    this.#flags = this.#stack.pop() ?? this.#flags;
    this.#out += ')';
    this.#i++;
  }

  /** `{n}`, `{n,}`, `{n,m}` as a repeat; false for any other brace, which is a literal. */
  #repeat(): boolean {
    const rep = /^\{(\d+)(,(\d*))?\}/.exec(this.#re.slice(this.#i));
    if (!rep) return false;
    const min = Number(rep[1]);
    const max = rep[3] ? Number(rep[3]) : min;
    if (min > MAX_REPEAT || max > MAX_REPEAT || (rep[3] && max < min)) {
      fail(`invalid repeat count ${rep[0]}`);
    }
    this.#i += rep[0].length;
    this.#quantifier(rep[0]);
    return true;
  }

  /** Emits a quantifier and its laziness, which `(?U)` swaps. */
  #quantifier(q: string): void {
    let lazy = false;
    if (this.#re[this.#i] === '?') {
      lazy = true;
      this.#i++;
    }
    this.#out += q + (lazy !== this.#flags.U ? '?' : '');
  }

  /** `.`, `^`, `$` under the flags in scope, `|`, or one literal character. */
  #single(c: string): void {
    const flags = this.#flags;
    if (c === '.') this.#out += flags.s ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') this.#out += flags.m ? '(?:(?<![\\s\\S])|(?<=\\n))' : '^';
    else if (c === '$') this.#out += flags.m ? '(?:(?![\\s\\S])|(?=\\n))' : '$';
    else if (c === '|') this.#out += '|';
    else {
      const ch = String.fromCodePoint(this.#re.codePointAt(this.#i)!);
      this.#out += literal(ch, flags);
      this.#i += ch.length;
      return;
    }
    this.#i++;
  }
}

/**
 * Compiles a Go RE2 pattern the way Prometheus compiles label matchers and label_replace's
 * regex: fully anchored, `.` matching newlines (`^(?s:re)$`), matching code points as Go
 * matches runes. Flags may be set anywhere (`(?i)`, `(?i:…)`, `(?-s)`).
 * @throws SyntaxError when the pattern is not valid RE2 (or not translatable).
 * @example
 * goRegexAsJs('(?i:api)|web').test('API'); // true
 */
export function goRegexAsJs(pattern: string): RegExp {
  const source = translate(pattern, { i: false, s: true, m: false, U: false });
  return new RegExp(`^(?:${source})$`, 'u');
}
