/** Float syntax of the exposition formats (Go's ParseFloat without hex or underscores), checked by hand. */

/** Exact powers of ten: a double holds 10^0 … 10^22 without rounding. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT_MANTISSA = 2 ** 53;

/**
 * Parses `text[start, end)` as a sample value: decimal floats with an optional sign and exponent,
 * and, in any letter case, `NaN`, `Inf` and `Infinity` (the last two with an optional sign).
 * Returns `undefined` when the token is not such a number, or is a decimal too large for a
 * double (Prometheus rejects those rather than rounding them to infinity).
 *
 * `Number()` alone would also accept `0x10`, `1_0`, `''` and surrounding whitespace, so the
 * syntax is checked here. Most values are converted without `Number()` at all: when the digits
 * form an integer below 2^53 and the decimal exponent is within ±22, one multiplication or
 * division of two exact doubles is correctly rounded (Clinger's fast path), so the result is
 * the same double `Number()` would give.
 */
export function parseFloatToken(text: string, start: number, end: number): number | undefined {
  let pos = start;
  let c = text.charCodeAt(pos);
  const negative = c === 45; /* - */
  if (negative || c === 43 /* + */) c = text.charCodeAt(++pos);
  if (pos >= end) return undefined;
  if (!isDigit(c) && c !== 46 /* . */) return parseSpecial(text, pos, end, negative, pos !== start);

  let mantissa = 0;
  let digits = 0;
  let scale = 0; // decimal exponent contributed by digits after the point
  while (pos < end && isDigit((c = text.charCodeAt(pos)))) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    pos++;
  }
  if (pos < end && c === 46) {
    pos++;
    while (pos < end && isDigit((c = text.charCodeAt(pos)))) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      scale--;
      pos++;
    }
  }
  if (digits === 0) return undefined;
  if (pos < end) {
    if (c !== 101 && c !== 69) return undefined; /* e E */
    const exponent = parseExponent(text, pos + 1, end);
    if (exponent === undefined) return undefined;
    scale += exponent;
  }
  let value: number;
  if (mantissa < MAX_EXACT_MANTISSA && scale >= -22 && scale <= 22) {
    value = exactDecimal(mantissa, scale);
  } else {
    value = Math.abs(Number(text.slice(start, end)));
    if (value === Infinity) return undefined;
  }
  return negative ? -value : value;
}

/**
 * `mantissa × 10^scale`, correctly rounded, for an integer `mantissa` below 2^53 and `scale`
 * within ±22: both are exact doubles, so one IEEE operation rounds once (Clinger's fast path).
 */
export function exactDecimal(mantissa: number, scale: number): number {
  return scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
}

/** `[+-]digits` to the end of the token; large exponents saturate (the slow path handles them). */
function parseExponent(text: string, pos: number, end: number): number | undefined {
  const sign = text.charCodeAt(pos);
  if (sign === 43 || sign === 45) pos++;
  if (pos >= end) return undefined;
  let exponent = 0;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (!isDigit(c)) return undefined;
    if (exponent < 100_000) exponent = exponent * 10 + (c - 48);
    pos++;
  }
  return sign === 45 ? -exponent : exponent;
}

/** `nan`, `inf`, `infinity` in any case; a sign is allowed on the infinities only. */
function parseSpecial(
  text: string,
  pos: number,
  end: number,
  negative: boolean,
  signed: boolean,
): number | undefined {
  const length = end - pos;
  if (length === 3) {
    const word = text.slice(pos, end).toLowerCase();
    if (word === 'inf') return negative ? -Infinity : Infinity;
    if (word === 'nan' && !signed) return Number.NaN;
    return undefined;
  }
  if (length === 8 && text.slice(pos, end).toLowerCase() === 'infinity') {
    return negative ? -Infinity : Infinity;
  }
  return undefined;
}

/** `digits [. digits] | . digits`, then an optional `e[+-]digits`; nothing else. */
function isDecimal(text: string, pos: number, end: number): boolean {
  let digits = 0;
  while (pos < end && isDigit(text.charCodeAt(pos))) {
    pos++;
    digits++;
  }
  if (pos < end && text.charCodeAt(pos) === 46) {
    pos++;
    while (pos < end && isDigit(text.charCodeAt(pos))) {
      pos++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (pos === end) return true;
  const e = text.charCodeAt(pos);
  if (e !== 101 && e !== 69) return false;
  pos++;
  const sign = text.charCodeAt(pos);
  if (sign === 43 || sign === 45) pos++;
  if (pos >= end) return false;
  while (pos < end) {
    if (!isDigit(text.charCodeAt(pos))) return false;
    pos++;
  }
  return true;
}

/** True when the token is well-formed but too large for a double: worth its own message. */
export function isOutOfRange(text: string, start: number, end: number): boolean {
  let pos = start;
  const c = text.charCodeAt(pos);
  if (c === 45 || c === 43) pos++;
  return pos < end && isDecimal(text, pos, end);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
