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
      const [cls, end] = translateClass(re, i, flags.i);
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
 * goRegexAsJs('(?i:api)|web').test('API'); // true
 */
export function goRegexAsJs(pattern: string): RegExp {
  const source = translate(pattern, { i: false, s: true, m: false, U: false });
  return new RegExp(`^(?:${source})$`, 'u');
}
