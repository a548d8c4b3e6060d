/** Reads one sample line: name, labels, value, optional timestamp and (OpenMetrics) exemplar. */
import type { Exemplar } from './exposition-types.js';
import { matchPreviousSeries } from './match-previous-series.js';
import { exactDecimal, isOutOfRange, parseFloatToken } from './parse-float.js';
import { type MutableLabels, readLabels } from './read-labels.js';
import { readSampleLabels } from './read-sample-labels.js';
import { isMetricNameChar, type Scanner, scanMetricName } from './scanner.js';

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const HASH = 35;
const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

/** Stands for "no label block" until the sample object is built, when it becomes a fresh `{}`. */
const NO_LABELS: MutableLabels = Object.freeze({}) as MutableLabels;
/** The labels of a known series: empty, shared and frozen, since the caller has the real ones. */
const KNOWN_LABELS: MutableLabels = Object.freeze({}) as MutableLabels;

/** Reads the sample starting at `s.pos` into `s.sink` and leaves `s.pos` at the end of its line. */
export function readSample(s: Scanner): void {
  const text = s.text;
  const start = s.pos;
  const previous = s.previousSeries;
  if (previous !== undefined) {
    const matched = matchPreviousSeries(s, previous, start);
    if (matched !== undefined) {
      const { series, name } = matched;
      // A bare name was matched with its blanks checked; a label block needs the usual check.
      // (Told by the text's last character: the name is a separate string, not in the cache yet.)
      const bare = series.charCodeAt(series.length - 1) !== BRACE_CLOSE;
      if (!bare && !isBlank(text.charCodeAt(s.pos)) && !s.atLineEnd()) {
        s.failExpected(s.pos, 'a space between "}" and the value');
      }
      s.skipBlanks();
      readValueOnwards(s, name, bare ? {} : KNOWN_LABELS, series);
      return;
    }
  }
  const nameEnd = readMetricName(s, start);
  let name = s.recentMetricName;
  let labels: MutableLabels = NO_LABELS;
  let series = name;

  s.pos = nameEnd;
  s.skipBlanks();
  if (text.charCodeAt(s.pos) === BRACE_OPEN) {
    const known = s.knownSeries;
    const end = known === undefined || name === '' ? -1 : labelBlockEnd(text, s.pos);
    if (end !== -1 && known!.has((series = text.slice(start, end)))) {
      labels = KNOWN_LABELS;
      s.pos = end;
    } else {
      labels = readSampleLabels(s, name);
      name = s.blockMetricName;
      if (name === '') s.fail(start, 'the sample has no metric name');
      series = text.slice(start, s.pos);
    }
    if (!isBlank(text.charCodeAt(s.pos)) && !s.atLineEnd()) {
      s.failExpected(s.pos, 'a space between "}" and the value');
    }
    s.skipBlanks();
  } else if (name === '') {
    s.failExpected(start, 'a metric name, a "#" comment or an empty line');
  } else if (s.pos === nameEnd && !s.atLineEnd()) {
    s.fail(nameEnd, `unexpected ${s.describe(nameEnd)} in metric name ${s.quote(start, nameEnd)}`);
  }
  readValueOnwards(s, name, labels === NO_LABELS ? {} : labels, series);
}

/** Reads the rest of a sample line from its value at `s.pos`, and hands the sample over. */
function readValueOnwards(s: Scanner, name: string, labels: MutableLabels, series: string): void {
  const text = s.text;
  const value = readValue(s, 'a sample value after the metric name', 'value');
  let timestampMs: number | undefined;
  let exemplar: Exemplar | undefined;
  if (!s.atLineEnd()) {
    endToken(s, 'value');
    if (s.atLineEnd()) {
      // trailing blanks only
    } else if (text.charCodeAt(s.pos) === HASH) {
      exemplar = readExemplar(s);
    } else {
      timestampMs = readTimestamp(s);
      if (!s.atLineEnd()) {
        endToken(s, 'timestamp');
        if (text.charCodeAt(s.pos) === HASH) exemplar = readExemplar(s);
        else if (!s.atLineEnd()) s.failExpected(s.pos, 'the end of the line after the timestamp');
      }
    }
  }
  s.sink.add(name, labels, value, timestampMs, exemplar, series);
}

/**
 * Scans the legacy metric name at `start` and makes `s.recentMetricName` that name ('' when there
 * is none). Consecutive lines mostly share a name (a histogram's buckets), so the previous name
 * is tried first, and a new string is sliced only when the name changes.
 */
function readMetricName(s: Scanner, start: number): number {
  const text = s.text;
  const recent = s.recentMetricName;
  const recentEnd = start + recent.length;
  // Native substring-and-compare beats a character loop several times over for long names.
  if (
    recent !== '' &&
    !isMetricNameChar(text.charCodeAt(recentEnd)) &&
    text.substring(start, recentEnd) === recent
  ) {
    return recentEnd;
  }
  const end = scanMetricName(text, start);
  s.recentMetricName = end === start ? '' : text.slice(start, end);
  return end;
}

/**
 * With a `{` at `open`: the position after the `}` that closes it, or -1 if the line ends first.
 * Only quotes and backslashes are looked at, to find the real closing brace. Used for series
 * the caller knows: their text was read in full when first seen, and reads the same way again.
 */
function labelBlockEnd(text: string, open: number): number {
  let pos = open + 1;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === BRACE_CLOSE) break;
    if (c === QUOTE) {
      pos++;
      for (;;) {
        const q = text.charCodeAt(pos);
        if (q === QUOTE) break;
        if (q === BACKSLASH) pos++;
        else if (q === NEWLINE || Number.isNaN(q)) return -1;
        pos++;
      }
    } else if (c === NEWLINE || Number.isNaN(c)) {
      return -1;
    }
    pos++;
  }
  return pos + 1;
}

/** After a token: blanks must follow (or the line ends); skips them. */
function endToken(s: Scanner, what: string): void {
  if (!isBlank(s.text.charCodeAt(s.pos)) && !s.atLineEnd()) {
    s.failExpected(s.pos, `a space after the ${what}`);
  }
  s.skipBlanks();
}

/** Reads a float token at `s.pos`. */
function readValue(s: Scanner, expected: string, what: string): number {
  const plain = readPlainDecimal(s);
  if (plain !== undefined) return plain;
  const start = s.pos;
  const end = tokenEnd(s.text, start, s.end);
  if (end === start) s.failExpected(start, expected);
  const value = parseFloatToken(s.text, start, end);
  if (value === undefined) {
    const token = s.quote(start, end);
    s.fail(
      start,
      isOutOfRange(s.text, start, end)
        ? `${what} ${token} is too large for a 64-bit float`
        : `${what} ${token} is not a number (expected a float such as 1, -2.5e-3, NaN, +Inf or -Inf)`,
    );
  }
  s.pos = end;
  return value;
}

/** Digits a plain decimal may have for its mantissa to stay below 2^53, hence exact. */
const PLAIN_DIGITS = 15;

/**
 * Most values are plain decimals (`12`, `-3.25`) followed by a blank or the line's end: those are
 * read in the one pass that finds the token's end, with the same result as `parseFloatToken`.
 * Anything else (exponents, `+`, `NaN`, long mantissas, malformed text) returns undefined with
 * `s.pos` unmoved, for the general reader.
 */
function readPlainDecimal(s: Scanner): number | undefined {
  const text = s.text;
  let pos = s.pos;
  let c = text.charCodeAt(pos);
  const negative = c === 45; /* - */
  if (negative) c = text.charCodeAt(++pos);
  const first = pos;
  let mantissa = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    c = text.charCodeAt(++pos);
  }
  let digits = pos - first;
  if (digits === 0) return undefined;
  let scale = 0;
  if (c === 46 /* . */) {
    c = text.charCodeAt(++pos);
    const fractionStart = pos;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      c = text.charCodeAt(++pos);
    }
    scale = fractionStart - pos;
    digits -= scale;
  }
  // The token must end here.
  if (digits > PLAIN_DIGITS || !(c === SPACE || c === NEWLINE || c === TAB || pos >= s.end)) {
    return undefined;
  }
  s.pos = pos;
  const value = exactDecimal(mantissa, scale);
  return negative ? -value : value;
}

/** Text format: integer milliseconds. OpenMetrics: seconds, possibly fractional. */
function readTimestamp(s: Scanner): number {
  const text = s.text;
  const start = s.pos;
  const end = tokenEnd(text, start, s.end);
  let ms: number;
  if (s.openMetrics) {
    const seconds = parseFloatToken(text, start, end);
    if (seconds === undefined || !Number.isFinite(seconds)) {
      s.fail(start, `timestamp ${s.quote(start, end)} is not a finite number of seconds`);
    }
    ms = Math.round(seconds * 1000);
  } else {
    ms = 0;
    for (let pos = start; pos < end; pos++) {
      const d = text.charCodeAt(pos) - 48;
      if (d < 0 || d > 9) {
        s.fail(
          start,
          `timestamp ${s.quote(start, end)} is not a whole number of milliseconds (digits only)`,
        );
      }
      ms = ms * 10 + d;
    }
  }
  if (!Number.isSafeInteger(ms)) s.fail(start, `timestamp ${s.quote(start, end)} is out of range`);
  s.pos = end;
  return ms;
}

/** `# {labels} value [timestamp]`, OpenMetrics only; `s.pos` is at the `#`. */
function readExemplar(s: Scanner): Exemplar {
  const text = s.text;
  if (!s.openMetrics) {
    s.fail(s.pos, 'exemplars ("# {...}" after a value) are only allowed in the OpenMetrics format');
  }
  s.pos++;
  s.skipBlanks();
  if (text.charCodeAt(s.pos) !== BRACE_OPEN)
    s.failExpected(s.pos, '"{" to start the exemplar labels');
  const labels: MutableLabels = {};
  readLabels(s, labels, null);
  endToken(s, 'exemplar labels');
  const value = readValue(s, 'an exemplar value', 'exemplar value');
  let timestampMs: number | undefined;
  if (!s.atLineEnd()) {
    endToken(s, 'exemplar value');
    if (!s.atLineEnd()) {
      timestampMs = readTimestamp(s);
      if (!s.atLineEnd()) {
        endToken(s, 'exemplar timestamp');
        if (!s.atLineEnd()) s.failExpected(s.pos, 'the end of the line after the exemplar');
      }
    }
  }
  return timestampMs === undefined ? { labels, value } : { labels, value, timestampMs };
}

/** A value or timestamp token runs to the next blank or line end; a `\r` ends it too. */
function tokenEnd(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === SPACE || c === TAB || c === NEWLINE || c === CARRIAGE_RETURN) break;
    pos++;
  }
  return pos;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
