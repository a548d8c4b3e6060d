/** Reads a `{name="value", ...}` block into a label object, including the quoted UTF-8 name forms. */
import { readQuoted } from './read-quoted.js';
import { isLabelNameChar, isLabelNameStart, type Scanner } from './scanner.js';

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const BRACE_CLOSE = 125;

/** A label object under construction. */
export type MutableLabels = Record<string, string>;

/**
 * Reads the label block whose `{` is at `s.pos` into `labels` and leaves `s.pos` after the `}`.
 * A lone quoted string (`{"my.metric", "a"="b"}`) is the metric name: `metricName` is the name
 * read before the `{` (`''` if none, `null` where no name may appear, as in exemplars), and the
 * name in force after the block is returned.
 */
export function readLabels(s: Scanner, labels: MutableLabels, metricName: string | null): string {
  const text = s.text;
  const recentNames = s.recentNames;
  // Duplicate checks are skipped while every name so far matched `recentNames`, whose first
  // `s.distinctNames` entries are known to be pairwise distinct (see Scanner.distinctNames).
  let allRecent = true;
  let quoted = false;
  let count = 0;
  let pos = s.pos + 1;
  for (let index = 0; ; index++) {
    let c = text.charCodeAt(pos);
    if (c === SPACE || c === TAB) c = text.charCodeAt((pos = skipBlanks(s, pos)));
    const nameStart = pos;
    let name: string;
    if (isLabelNameStart(c)) {
      name = recentNames[index];
      const recentEnd = nameStart + (name === undefined ? 0 : name.length);
      if (
        name !== undefined &&
        !isLabelNameChar(text.charCodeAt(recentEnd)) &&
        text.substring(nameStart, recentEnd) === name
      ) {
        pos = recentEnd;
      } else {
        pos = nameStart + 1;
        while (isLabelNameChar(text.charCodeAt(pos))) pos++;
        name = s.internName(text.slice(nameStart, pos));
        if (index < RECENT_LIMIT) recentNames[index] = name;
        allRecent = false;
      }
    } else if (c === QUOTE) {
      quoted = true;
      allRecent = false;
      s.pos = pos;
      name = readQuoted(s, 'quoted name');
      pos = skipBlanks(s, s.pos);
      const after = text.charCodeAt(pos);
      if (after === COMMA || after === BRACE_CLOSE) {
        metricName = quotedMetricName(s, nameStart, name, metricName);
        if (after === COMMA) pos++;
        continue;
      }
      if (name === '') s.fail(nameStart, 'a label name may not be empty');
    } else if (c === BRACE_CLOSE) {
      break;
    } else {
      s.failExpected(nameStart, 'a label name or "}"');
    }

    pos = valueQuote(s, pos, name);
    s.pos = pos;
    s.lastValueOpen = pos;
    s.lastLabelName = name;
    s.lastLabelIndex = index;
    const value = readLabelValue(s, index);
    pos = s.pos;
    setLabel(s, labels, name, value, nameStart, !(allRecent && index < s.distinctNames));
    count++;

    c = text.charCodeAt(pos);
    if (c === SPACE || c === TAB) c = text.charCodeAt((pos = skipBlanks(s, pos)));
    if (c === COMMA) {
      pos++;
    } else if (c !== BRACE_CLOSE) {
      s.failExpected(pos, '"," or "}" after a label value');
    }
  }
  s.pos = pos + 1;
  s.labelCount = count;
  s.quotedNames = quoted;
  // The block's names are now recentNames[0, count) and were all checked distinct.
  if (quoted) s.distinctNames = 0;
  else if (!allRecent || count > s.distinctNames) s.distinctNames = Math.min(count, RECENT_LIMIT);
  return metricName ?? '';
}

/** With a label name ending at `pos`: checks the `=` and the opening quote, and returns the quote's position. */
function valueQuote(s: Scanner, pos: number, name: string): number {
  const text = s.text;
  let c = text.charCodeAt(pos);
  if (c !== EQUALS) {
    c = text.charCodeAt((pos = skipBlanks(s, pos)));
    if (c !== EQUALS) s.failExpected(pos, `"=" after label name ${JSON.stringify(shorten(name))}`);
  }
  c = text.charCodeAt(++pos);
  if (c !== QUOTE) {
    c = text.charCodeAt((pos = skipBlanks(s, pos)));
    if (c !== QUOTE) {
      s.failExpected(
        pos,
        `a label value in double quotes after ${JSON.stringify(`${shorten(name)}=`)}`,
      );
    }
  }
  return pos;
}

/** Sets one label, refusing a duplicate (when `checkDuplicate`) and the reserved `__name__`. */
function setLabel(
  s: Scanner,
  labels: MutableLabels,
  name: string,
  value: string,
  nameStart: number,
  checkDuplicate: boolean,
): void {
  // Own values are always strings; inherited Object.prototype members never are.
  if (checkDuplicate && typeof labels[name] === 'string') {
    s.fail(nameStart, `duplicate label name ${JSON.stringify(shorten(name))} in one sample`);
  }
  if (name === '__name__') {
    s.fail(nameStart, 'label name "__name__" is reserved: write the metric name before "{"');
  }
  if (name === '__proto__') {
    Object.defineProperty(labels, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    labels[name] = value;
  }
}

function skipBlanks(s: Scanner, pos: number): number {
  s.pos = pos;
  s.skipBlanks();
  return s.pos;
}

/** Label positions remembered for reuse; blocks longer than this are rare and slice as usual. */
const RECENT_LIMIT = 64;

/**
 * Reads the quoted value at `s.pos`, reusing the value last seen at this label position. Both
 * the match and the common escape-free case run on native string operations (`substring` and
 * `===`, `indexOf`), which are several times faster than a character loop in script.
 */
export function readLabelValue(s: Scanner, index: number): string {
  const text = s.text;
  const start = s.pos + 1;
  const recent = s.recentValues[index];
  if (recent !== undefined) {
    // Only escape-free values are remembered, so the same characters then `"` are the same value.
    const end = start + recent.length;
    if (text.charCodeAt(end) === QUOTE && text.substring(start, end) === recent) {
      s.pos = end + 1;
      return recent;
    }
  }
  const close = text.indexOf('"', start);
  if (close !== -1 && close < s.lineEndFrom(start) && s.nextBackslashFrom(start) > close) {
    const value = text.slice(start, close);
    if (index < RECENT_LIMIT) s.recentValues[index] = value;
    s.pos = close + 1;
    return value;
  }
  return readQuoted(s, 'label value'); // escapes, or a missing closing quote
}

function quotedMetricName(s: Scanner, at: number, name: string, previous: string | null): string {
  if (previous === null) s.fail(at, 'expected "=" and a value after this quoted label name');
  if (previous !== '') s.fail(at, 'the metric name is given twice');
  if (name === '') s.fail(at, 'a metric name may not be empty');
  return name;
}

/** Keeps error messages short when a name is absurdly long. */
function shorten(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
