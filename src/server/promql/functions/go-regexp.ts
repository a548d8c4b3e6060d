/** Go (RE2) regular expressions in JavaScript: syntax translation and Go's Regexp.Expand. */

/**
 * Translates a Go RE2 pattern to an anchored, dot-matches-newline JavaScript RegExp, the way
 * Prometheus compiles `^(?s:re)$`. Handles `(?P<name>…)` and leading `(?i)`/`(?s)` flags;
 * rejects what RE2 rejects but JavaScript would accept (backreferences, lookaround).
 * Returns undefined when the pattern does not compile.
 * @example
 * compileAnchoredGoRegexp('(?P<host>[^:]+):\\d+')!.exec('db:5432')!.groups!.host; // 'db'
 */
export function compileAnchoredGoRegexp(source: string): RegExp | undefined {
  let body = source;
  let flags = 's';
  const lead = /^\(\?([is]+)\)/.exec(body);
  if (lead !== null) {
    if (lead[1].includes('i')) flags += 'i';
    body = body.slice(lead[0].length);
  }
  const translated = translate(body);
  if (translated === undefined) return undefined;
  const anchored = `^(?:${translated})$`;
  try {
    // Unicode mode matches code points as Go matches runes, and its syntax is strict.
    return new RegExp(anchored, `${flags}u`);
  } catch {
    try {
      // Plain mode accepts identity escapes RE2 allows but unicode mode rejects, like `\-`.
      return new RegExp(anchored, flags);
    } catch {
      return undefined;
    }
  }
}

/** RE2's ASCII character classes, as the inside of a JavaScript class. */
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

/**
 * Rewrites `(?P<` to `(?<` and RE2-only forms (\pL, \A, \z, [[:alpha:]]); undefined for
 * constructs RE2 does not support.
 */
function translate(body: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      const next = body[i + 1];
      // RE2 has no backreferences.
      if (next !== undefined && next >= '1' && next <= '9' && !inClass) return undefined;
      if (!inClass && (next === 'A' || next === 'z')) {
        // Text anchors; without the m flag JavaScript's ^ and $ mean the same.
        out += next === 'A' ? '^' : '$';
      } else if ((next === 'p' || next === 'P') && body[i + 2] !== '{' && i + 2 < body.length) {
        // RE2's one-letter class shorthand \pL is \p{L} in JavaScript.
        out += `\\${next}{${body[i + 2]}}`;
        i++;
      } else {
        out += ch + (next ?? '');
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === '[' && body[i + 1] === ':') {
        const end = body.indexOf(':]', i + 2);
        const posix = end < 0 ? undefined : POSIX_CLASSES[body.slice(i + 2, end)];
        if (posix !== undefined) {
          out += posix;
          i = end + 1;
          continue;
        }
      }
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A leading ']' (or '^]') is a literal in the class, not its end.
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') out += `\\${body[++i]}`;
      continue;
    }
    if (ch === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2, i + 5);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      // RE2 has no lookahead or lookbehind.
      if (rest[0] === '=' || rest[0] === '!' || rest.startsWith('<=') || rest.startsWith('<!')) {
        return undefined;
      }
    }
    out += ch;
  }
  return out;
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
