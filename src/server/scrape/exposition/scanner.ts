/** The parser's cursor over the exposition text: position, current line, and how errors are raised. */
import { ExpositionError } from './exposition-error.js';
import type { ExpositionFormat, PreviousSeries } from './exposition-types.js';
import type { SampleSink } from './sample-sink.js';

// Each file keeps its own copy of the few character codes it needs: module-local constants are
// folded by the JIT, while imported bindings may cost a lookup per use under some loaders.
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;

/** Longest piece of input quoted back in an error message, so messages stay readable. */
const QUOTE_LIMIT = 40;

/**
 * Mutable cursor shared by the line readers. Readers advance `pos` and return what they read;
 * `lineStart` and `line` exist only so errors can name a position without a second pass.
 */
export class Scanner {
  readonly text: string;
  readonly end: number;
  readonly format: ExpositionFormat;
  readonly openMetrics: boolean;
  /** Where each sample read goes. */
  readonly sink: SampleSink;
  pos = 0;
  line = 1;
  lineStart = 0;
  /**
   * The label names and escape-free values last seen at each position of a label block. Lines
   * of one exposition repeat them, so matching in place reuses one string instead of slicing a
   * new one per sample: fewer allocations here, and shared strings for the store.
   */
  readonly recentNames: string[] = [];
  readonly recentValues: string[] = [];
  /**
   * How many leading entries of `recentNames` are known pairwise distinct: a label block whose
   * names all match them needs no duplicate check. Set after each fully checked block.
   */
  distinctNames = 0;
  /** Series texts whose label blocks need not be read (see `ParseOptions.knownSeries`). */
  knownSeries: { has(series: string): boolean } | undefined = undefined;
  /** The previous exposition's series in line order (see `ParseOptions.previousSeries`). */
  previousSeries: readonly PreviousSeries[] | undefined = undefined;
  /** The index in `previousSeries` of the text expected on the next sample line. */
  previousCursor = 0;
  /** Sample lines that matched no previous series (see `matchPreviousSeries`). */
  previousMisses = 0;
  /** The metric name of the previous sample line. */
  recentMetricName = '';
  /** The metric name in force after the sample label block read last. */
  blockMetricName = '';
  /** Facts about the label block read last, for `readSampleLabels` to build its template. */
  labelCount = 0;
  quotedNames = false;
  lastLabelName = '';
  lastLabelIndex = 0;
  lastValueOpen = 0;
  /**
   * The template: the labels of an earlier sample and its label block's text up to the opening
   * quote of the last value (see `readSampleLabels`). Empty when there is none.
   */
  templatePrefix = '';
  templateLabels: Record<string, string> = {};
  templateLastName = '';
  templateLastIndex = 0;
  private readonly internedNames = new Map<string, string>();
  /** Cached positions of the next newline and backslash; see `lineEndFrom`, `nextBackslashFrom`. */
  private nextNewline = -1;
  private nextBackslash = -1;
  private backslashSearchFrom = 0;

  constructor(text: string, format: ExpositionFormat, sink: SampleSink) {
    this.text = text;
    this.end = text.length;
    this.format = format;
    this.openMetrics = format === 'openmetrics';
    this.sink = sink;
  }

  /** Moves to the start of the next line; `pos` must be at a newline or at the end. */
  nextLine(): void {
    if (this.pos < this.end) this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /**
   * Returns the engine's canonical (internalized) copy of a label name. A key read back from an
   * object's own keys is in that form, and keyed stores with it skip the engine's string-table
   * lookup; a map remembers each name so the round trip through an object happens once per name.
   */
  internName(name: string): string {
    // An object would take this key as its prototype instead; the literal is canonical already.
    if (name === '__proto__') return '__proto__';
    let interned = this.internedNames.get(name);
    if (interned === undefined) {
      const holder: Record<string, 0> = {};
      holder[name] = 0;
      interned = Object.keys(holder)[0];
      this.internedNames.set(interned, interned);
    }
    return interned;
  }

  /**
   * The position of the first newline at or after `pos` (or the end). Cached until `pos` passes
   * it, so asking once per label costs one scan per line, not one per label. Readers never step
   * back across a newline, so the cached answer holds for any position on the line.
   */
  lineEndFrom(pos: number): number {
    if (this.nextNewline < pos) {
      const found = this.text.indexOf('\n', pos);
      this.nextNewline = found === -1 ? this.end : found;
    }
    return this.nextNewline;
  }

  /**
   * Like `lineEndFrom`, for backslashes: most expositions have none, so this mostly scans once.
   * A reader that steps back within its line (see `readSampleLabels`) may ask about a position
   * before the one the cached search began at; only that short stretch is then looked at, so
   * stepping back never makes the work grow beyond linear.
   */
  nextBackslashFrom(pos: number): number {
    if (pos < this.backslashSearchFrom) {
      const stop = Math.min(this.backslashSearchFrom, this.nextBackslash);
      for (let i = pos; i < stop; i++) if (this.text.charCodeAt(i) === BACKSLASH) return i;
      return this.nextBackslash;
    }
    if (this.nextBackslash < pos) {
      const found = this.text.indexOf('\\', pos);
      this.nextBackslash = found === -1 ? this.end : found;
      this.backslashSearchFrom = pos;
    }
    return this.nextBackslash;
  }

  /** Skips spaces and tabs. */
  skipBlanks(): void {
    const text = this.text;
    let pos = this.pos;
    let c = text.charCodeAt(pos);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    this.pos = pos;
  }

  /** True at a newline or at the end of the text. */
  atLineEnd(): boolean {
    return this.pos >= this.end || this.text.charCodeAt(this.pos) === NEWLINE;
  }

  /** Throws an `ExpositionError` for a position on the current line. */
  fail(pos: number, reason: string): never {
    throw new ExpositionError(this.line, pos - this.lineStart + 1, reason);
  }

  /** Fails with "expected …, got <what is at pos>", with a plain word for line ends. */
  failExpected(pos: number, expected: string): never {
    this.fail(pos, `expected ${expected}, got ${this.describe(pos)}`);
  }

  /** Names the character at `pos` for an error message. */
  describe(pos: number): string {
    if (pos >= this.end) return 'the end of the input';
    const c = this.text.charCodeAt(pos);
    if (c === NEWLINE) return 'the end of the line';
    if (c === CARRIAGE_RETURN) {
      return 'a carriage return ("\\r"): lines must end with "\\n" alone, "\\r\\n" is not accepted';
    }
    return JSON.stringify(this.text[pos]);
  }

  /** Quotes a piece of the input for an error message, shortened when long. */
  quote(from: number, to: number): string {
    if (to - from > QUOTE_LIMIT)
      return `${JSON.stringify(this.text.slice(from, from + QUOTE_LIMIT))}…`;
    return JSON.stringify(this.text.slice(from, to));
  }
}

const LABEL_START = 1;
const LABEL_CHAR = 2;
const METRIC_START = 4;
const METRIC_CHAR = 8;

/** Character classes of the legacy name charset, looked up rather than range-tested per character. */
const NAME_CLASSES = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    const digit = c >= 48 && c <= 57;
    if (letter) table[c] |= LABEL_START | METRIC_START;
    if (letter || digit) table[c] |= LABEL_CHAR | METRIC_CHAR;
    if (c === 58) table[c] |= METRIC_START | METRIC_CHAR;
  }
  return table;
})();

/** True for `[a-zA-Z_]`. */
export function isLabelNameStart(c: number): boolean {
  return c < 128 && (NAME_CLASSES[c] & LABEL_START) !== 0;
}

/** True for `[a-zA-Z0-9_]`. */
export function isLabelNameChar(c: number): boolean {
  return c < 128 && (NAME_CLASSES[c] & LABEL_CHAR) !== 0;
}

/** True for `[a-zA-Z_:]`. */
export function isMetricNameStart(c: number): boolean {
  return c < 128 && (NAME_CLASSES[c] & METRIC_START) !== 0;
}

/** True for `[a-zA-Z0-9_:]`. */
export function isMetricNameChar(c: number): boolean {
  return c < 128 && (NAME_CLASSES[c] & METRIC_CHAR) !== 0;
}

/** Reads a legacy metric name at `pos`; returns its end (equal to `pos` when there is none). */
export function scanMetricName(text: string, pos: number): number {
  if (!isMetricNameStart(text.charCodeAt(pos))) return pos;
  let c = text.charCodeAt(++pos);
  while (isMetricNameChar(c)) c = text.charCodeAt(++pos);
  return pos;
}
