/** Go RE2 regular expressions (as in PromQL label matchers) compiled to JavaScript RegExps. */

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

interface Flags {
  readonly i: boolean;
  readonly s: boolean;
}

const isLetter = (c: string) => /^[A-Za-z]$/.test(c);
const swapCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

/** `\pL` / `\p{Greek}` in JavaScript's spelling: bare names longer than two letters are scripts. */
function unicodeClass(p: string, name: string): string {
  return `\\${p}{${name.length > 2 ? `Script=${name}` : name}}`;
}

/** Translates one `[...]` class starting at `start`; returns the JS text and the index after it. */
function translateClass(re: string, start: number, flags: Flags): [string, number] {
  let i = start + 1;
  let out = '[';
  if (re[i] === '^') {
    out += '^';
    i++;
  }
  const extra: string[] = [];
  let first = true;
  while (i < re.length && (re[i] !== ']' || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(re.slice(i));
    if (posix) {
      const chars = POSIX_CLASSES[posix[2]!];
      if (chars === undefined || posix[1]) throw new SyntaxError('invalid character class range');
      out += chars;
      i += posix[0].length;
      continue;
    }
    const item = re[i] === '\\' ? re.slice(i, i + 2) : re[i]!;
    i += item.length;
    // RE2 writes `\pL`; JavaScript needs `\p{L}`.
    if (item === '\\p' || item === '\\P') {
      const braced = re[i] === '{' ? /^\{([^}]*)\}/.exec(re.slice(i)) : null;
      out += unicodeClass(item[1]!, braced ? braced[1]! : (re[i] ?? ''));
      i += braced ? braced[0].length : 1;
      continue;
    }
    if (item === '[') out += '\\[';
    else out += item;
    if (flags.i && isLetter(item)) {
      if (re[i] === '-' && isLetter(re[i + 1] ?? '')) {
        extra.push(`${swapCase(item)}-${swapCase(re[i + 1]!)}`);
      } else if (re[i - 2] !== '-') {
        extra.push(swapCase(item));
      }
    }
  }
  if (i >= re.length) throw new SyntaxError('missing closing ]');
  return [`${out}${extra.join('')}]`, i + 1];
}

/**
 * Go regexp syntax → JavaScript source. Bridges inline flags (`(?i)`, `(?i:...)`, `(?s)`) by
 * expanding letters to `[aA]` and dots to `[\s\S]` in their scope, `(?P<name>`, `\pL`, `\z`,
 * `\A`, `\Q...\E` and POSIX classes; rejects what RE2 lacks (lookaround, backreferences).
 */
function translate(re: string): string {
  let out = '';
  let flags: Flags = { i: false, s: false };
  const stack: Flags[] = [];
  let i = 0;
  while (i < re.length) {
    const c = re[i]!;
    if (c === '\\') {
      const next = re[i + 1];
      if (next === undefined) throw new SyntaxError('trailing backslash at end of expression');
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const literal = re.slice(i + 2, end < 0 ? re.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? re.length : end + 2;
        continue;
      }
      if (/[1-9]/.test(next)) throw new SyntaxError(`invalid escape sequence: \\${next}`);
      if ((next === 'p' || next === 'P' || next === 'x') && re[i + 2] === '{') {
        const close = re.indexOf('}', i);
        if (close < 0) throw new SyntaxError(`invalid escape sequence: \\${next}{`);
        const body = re.slice(i + 3, close);
        out += next === 'x' ? `\\u{${body}}` : unicodeClass(next, body);
        i = close + 1;
        continue;
      }
      if (next === 'z') out += '(?![\\s\\S])';
      else if (next === 'A') out += '(?<![\\s\\S])';
      else if ((next === 'p' || next === 'P') && re[i + 2] !== '{') {
        out += unicodeClass(next, re[i + 2] ?? '');
        i++;
      } else out += `\\${next}`;
      i += 2;
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
      const flagged = /^\(\?([imsU-]*)(:|\))/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (flagged) {
        let next = flags;
        let on = true;
        for (const f of flagged[1]!) {
          if (f === '-') on = false;
          else if (f === 'i' || f === 's') next = { ...next, [f]: on };
        }
        if (flagged[2] === ')') {
          // `(?i)` changes the flags until the end of the enclosing group.
          stack.pop();
          flags = next;
        } else {
          out += '(?:';
          flags = next;
        }
        i += flagged[0].length;
      } else if (rest.startsWith('(?')) {
        throw new SyntaxError(`invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\``);
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
    if (c === '{') {
      // A repetition: copy it whole so its contents stay digits.
      const rep = /^\{\d+(?:,\d*)?\}/.exec(re.slice(i));
      const text = rep ? rep[0] : '\\{';
      out += text;
      i += rep ? text.length : 1;
      continue;
    }
    if (c === '}') out += '\\}';
    else if (flags.i && isLetter(c)) out += `[${c}${swapCase(c)}]`;
    else if (flags.s && c === '.') out += '[\\s\\S]';
    else out += c;
    i++;
  }
  return out;
}

/**
 * Compiles a Go RE2 pattern the way Prometheus anchors label matchers (`^(?:re)$`). Throws a
 * SyntaxError when the pattern is not valid RE2 (or not translatable).
 * @example
 * compileMatcherRegex('(?i:api)|web').test('API') // true
 * compileMatcherRegex('api').test('rapid')        // false: matchers are fully anchored
 */
export function compileMatcherRegex(pattern: string): RegExp {
  const source = translate(pattern);
  const anchored = `^(?:${source})$`;
  // `\p{L}` and `\u{...}` need unicode mode, which is stricter about other escapes.
  if (!/\\[pPu]\{/.test(source)) return new RegExp(anchored);
  try {
    return new RegExp(anchored, 'u');
  } catch {
    return new RegExp(anchored);
  }
}
