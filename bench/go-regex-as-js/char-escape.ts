/** Go's escapes that stand for one character (`\x{263a}`, `\101`, `\t`), and syntax errors. */

export const fail = (message: string): never => {
  throw new SyntaxError(message);
};

const isAsciiAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

/**
 * Go's parseEscape for escapes that stand for one character (`\x{263a}`, `\101`, `\t`, `\.`):
 * the character and the index after the escape. Throws for anything else.
 */
export function readCharEscape(re: string, i: number): [string, number] {
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
