/** PromQL literal decoding: numbers, durations and Go-quoted strings, as Prometheus's lexer reads them. */
import { readDuration } from '../../shared/duration.js';
import { PromqlError } from './promql-error.js';

/**
 * True when `text` is written with duration units (`5m`, `1h30m`) rather than as a plain number.
 * @example
 * isDurationText('5m') // true; isDurationText('300') // false
 */
export function isDurationText(text: string): boolean {
  // Written with units means ending in one; `0` alone is a duration to readDuration, a number here.
  if (!/[a-z]$/i.test(text)) return false;
  const { fault } = readDuration(text);
  return fault === undefined || fault === 'range';
}

/**
 * Milliseconds of a duration such as `1h30m` or `100ms`; a plain number counts seconds, as in
 * Prometheus 3 (`x[90]` is `x[1m30s]`).
 * @example
 * parseDurationMs('1h30m', 0) // 5_400_000
 */
export function parseDurationMs(text: string, position: number): number {
  if (text[0] === '-' || text[0] === '+') {
    const sign = text[0] === '-' ? -1 : 1;
    return sign * parseDurationMs(stripCommentsAndSpace(text.slice(1)), position);
  }
  if (!isDurationText(text)) {
    const ms = Math.round(parseNumberText(text, position) * 1000);
    if (!Number.isSafeInteger(ms)) {
      throw new PromqlError('parse', `duration out of range: "${text}"`, { position });
    }
    return ms;
  }
  const { ms } = readDuration(text);
  if (ms === undefined) {
    throw new PromqlError('parse', `duration out of range: "${text}"`, { position });
  }
  if (ms === 0) throw new PromqlError('parse', 'duration must be greater than 0', { position });
  return ms;
}

/**
 * The value of a number token: decimal, hex, Go-style octal (`010` is 8), `Inf`/`NaN` in any
 * case, `_` digit separators, or a duration read as seconds.
 * @example
 * parseNumberText('0x1F', 0) // 31
 */
export function parseNumberText(text: string, position: number): number {
  const lower = text.toLowerCase();
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (isDurationText(text)) return parseDurationMs(text, position) / 1000;
  const plain = text.replaceAll('_', '');
  if (/^0x[0-9a-f]+$/i.test(plain)) return Number.parseInt(plain.slice(2), 16);
  // Prometheus tries ParseInt(s, 0) first, so a leading zero means octal.
  if (/^0[0-7]+$/.test(plain)) return Number.parseInt(plain, 8);
  if (/^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(plain)) return Number(plain);
  throw new PromqlError('parse', `bad number syntax: "${text}"`, { position });
}

/**
 * The value of a possibly signed number literal such as `-2`, `- Inf` or `+0x10`.
 * @example
 * parseSignedNumber('- 2', 0) // -2
 */
export function parseSignedNumber(text: string, position: number): number {
  const sign = text[0] === '-' ? -1 : 1;
  const body = text[0] === '-' || text[0] === '+' ? stripCommentsAndSpace(text.slice(1)) : text;
  return sign * parseNumberText(body, position);
}

function stripCommentsAndSpace(text: string): string {
  return text.replace(/#[^\n\r]*/g, '').trim();
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * Decodes a quoted PromQL string token with Go's escape rules (`\n`, `\x41`, `\101`, `\u00e9`,
 * `\U0001F600`); backtick strings are raw. `\x`/octal escapes give bytes, decoded as UTF-8.
 * @example
 * unquoteString('"caf\\u00e9"', 0) // 'café'
 */
export function unquoteString(token: string, position: number): string {
  const quote = token[0];
  const fail = (message: string): never => {
    throw new PromqlError('parse', message, { position });
  };
  if (token.length < 2 || token[token.length - 1] !== quote) {
    return fail(quote === '`' ? 'unterminated raw string' : 'unterminated quoted string');
  }
  const body = token.slice(1, -1);
  if (quote === '`') return body;
  if (!body.includes('\\')) return body;

  const bytes: number[] = [];
  const pushText = (s: string) => {
    for (const b of utf8.encode(s)) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const next = body.indexOf('\\', i);
      const end = next < 0 ? body.length : next;
      pushText(body.slice(i, end));
      i = end;
      continue;
    }
    const esc = body[i + 1];
    if (esc === undefined) return fail('escape sequence not terminated');
    i += 2;
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) {
      bytes.push(simple);
    } else if (esc === quote) {
      pushText(esc);
    } else if (esc >= '0' && esc <= '7') {
      const digits = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits)) return fail('illegal character in escape sequence');
      const value = Number.parseInt(digits, 8);
      if (value > 255) return fail('escape sequence is an invalid Unicode code point');
      bytes.push(value);
      i += 2;
    } else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const width = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      const digits = body.slice(i, i + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) {
        // When the digits run short, the closing quote is the illegal character.
        return fail('illegal character in escape sequence');
      }
      const value = Number.parseInt(digits, 16);
      i += width;
      if (esc === 'x') {
        bytes.push(value);
      } else if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) {
        return fail('escape sequence is an invalid Unicode code point');
      } else {
        pushText(String.fromCodePoint(value));
      }
    } else {
      return fail(`unknown escape sequence '${esc}'`);
    }
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}
