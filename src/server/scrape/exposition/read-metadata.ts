/** Reads `#` lines: HELP, TYPE and UNIT metadata, the OpenMetrics `# EOF`, and plain comments. */
import type { ExpositionFormat, MetricFamily, MetricType } from './exposition-types.js';
import { readQuoted } from './read-quoted.js';
import { isMetricNameChar, type Scanner, scanMetricName } from './scanner.js';

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;

const PROMETHEUS_TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
]);
const OPENMETRICS_TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'stateset',
  'info',
  'summary',
  'unknown',
]);

type Keyword = 'HELP' | 'TYPE' | 'UNIT';

interface FamilyDraft {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  typed: boolean;
}

/** Families in the order their first metadata line appeared; each keyword at most once. */
export class FamilyRegistry {
  private readonly byName = new Map<string, FamilyDraft>();
  private readonly defaultType: MetricType;

  constructor(format: ExpositionFormat) {
    this.defaultType = format === 'openmetrics' ? 'unknown' : 'untyped';
  }

  /** The family of the latest metadata line. */
  recent: FamilyDraft | undefined;

  draft(name: string): FamilyDraft {
    if (this.recent !== undefined && this.recent.name === name) return this.recent;
    let family = this.byName.get(name);
    if (family === undefined) {
      family = { name, type: this.defaultType, typed: false };
      this.byName.set(name, family);
    }
    this.recent = family;
    return family;
  }

  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const { name, type, help, unit } of this.byName.values()) {
      const family: { name: string; type: MetricType; help?: string; unit?: string } = {
        name,
        type,
      };
      if (help !== undefined) family.help = help;
      if (unit !== undefined) family.unit = unit;
      out.push(family);
    }
    return out;
  }
}

/**
 * Reads the `#` line at `s.pos` and leaves `s.pos` at its end. Returns true for an OpenMetrics
 * `# EOF` line; in the text format that line is an ordinary comment.
 */
export function readHashLine(s: Scanner, registry: FamilyRegistry): boolean {
  const text = s.text;
  const hash = s.pos;
  s.pos++;
  if (isBlank(text.charCodeAt(s.pos))) {
    s.skipBlanks();
    const word = s.pos;
    const keyword = keywordAt(text, word, s.openMetrics);
    if (keyword === 'EOF') {
      s.pos = word + 3;
      s.skipBlanks();
      if (!s.atLineEnd()) s.failExpected(s.pos, 'the end of the line after "# EOF"');
      return true;
    }
    if (keyword !== undefined) {
      s.pos = word + 4;
      readMetadata(s, keyword, registry);
      return false;
    }
  }
  // A plain comment: skip it whole.
  const newline = text.indexOf('\n', hash);
  s.pos = newline === -1 ? s.end : newline;
  return false;
}

/** A keyword followed by a blank (or, for EOF, by the line end or a blank). */
function keywordAt(text: string, pos: number, openMetrics: boolean): Keyword | 'EOF' | undefined {
  const first = text.charCodeAt(pos);
  // Compared by character codes: slicing a word off every comment line would allocate.
  if (isBlank(text.charCodeAt(pos + 4))) {
    if (first === 72 /* H */ && isWordAt(text, pos, 'HELP')) return 'HELP';
    if (first === 84 /* T */ && isWordAt(text, pos, 'TYPE')) return 'TYPE';
    if (first === 85 /* U */ && openMetrics && isWordAt(text, pos, 'UNIT')) return 'UNIT';
  }
  if (first === 69 /* E */ && openMetrics && isWordAt(text, pos, 'EOF')) {
    const c = text.charCodeAt(pos + 3);
    if (Number.isNaN(c) || c === NEWLINE || isBlank(c)) return 'EOF';
  }
  return undefined;
}

function isWordAt(text: string, pos: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(pos + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}

function readMetadata(s: Scanner, keyword: Keyword, registry: FamilyRegistry): void {
  const text = s.text;
  s.skipBlanks();
  const nameStart = s.pos;
  let name: string;
  if (text.charCodeAt(nameStart) === QUOTE) {
    name = readQuoted(s, 'quoted metric name');
    if (name === '') s.fail(nameStart, 'a metric name may not be empty');
  } else {
    // HELP, TYPE and UNIT of one family come together: try the name of the line before first.
    const recent = registry.recent;
    const recentEnd = nameStart + (recent === undefined ? 0 : recent.name.length);
    if (
      recent !== undefined &&
      !isMetricNameChar(text.charCodeAt(recentEnd)) &&
      text.substring(nameStart, recentEnd) === recent.name
    ) {
      name = recent.name;
      s.pos = recentEnd;
    } else {
      const nameEnd = scanMetricName(text, nameStart);
      if (nameEnd === nameStart) s.failExpected(nameStart, `a metric name after "# ${keyword}"`);
      name = text.slice(nameStart, nameEnd);
      s.pos = nameEnd;
    }
  }
  let textStart = s.pos;
  if (!s.atLineEnd()) {
    if (!isBlank(text.charCodeAt(s.pos))) {
      s.failExpected(s.pos, `a space after metric name ${s.quote(nameStart, s.pos)}`);
    }
    textStart++; // one separator; the rest of a HELP text is kept as written
  }
  const newline = text.indexOf('\n', textStart);
  const lineEnd = newline === -1 ? s.end : newline;
  if (text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN && lineEnd > textStart) {
    s.failExpected(lineEnd - 1, 'the end of the line');
  }
  s.pos = lineEnd;

  const family = registry.draft(name);
  if (keyword === 'HELP') {
    if (family.help !== undefined)
      s.fail(nameStart, `second HELP line for metric family ${JSON.stringify(name)}`);
    family.help = unescapeHelp(text.slice(textStart, lineEnd), s.openMetrics);
    return;
  }
  let from = textStart;
  let to = lineEnd;
  while (from < to && isBlank(text.charCodeAt(from))) from++;
  while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
  const word = text.slice(from, to);
  if (keyword === 'UNIT') {
    if (family.unit !== undefined)
      s.fail(nameStart, `second UNIT line for metric family ${JSON.stringify(name)}`);
    family.unit = word;
    return;
  }
  if (family.typed) s.fail(nameStart, `second TYPE line for metric family ${JSON.stringify(name)}`);
  const types = s.openMetrics ? OPENMETRICS_TYPES : PROMETHEUS_TYPES;
  if (!types.has(word)) {
    s.fail(
      from,
      `unknown metric type ${s.quote(from, to)} (expected one of: ${[...types].join(', ')})`,
    );
  }
  family.type = word as MetricType;
  family.typed = true;
}

/** HELP escapes: `\\` and `\n`, plus `\"` in OpenMetrics; other escapes stay as written. */
function unescapeHelp(help: string, openMetrics: boolean): string {
  if (help.indexOf('\\') === -1) return help;
  let out = '';
  let chunkStart = 0;
  for (let i = 0; i < help.length - 1; i++) {
    if (help.charCodeAt(i) !== BACKSLASH) continue;
    const next = help.charCodeAt(i + 1);
    if (next === BACKSLASH || (next === QUOTE && openMetrics)) {
      out += help.slice(chunkStart, i);
      chunkStart = i + 1;
    } else if (next === 110 /* n */) {
      out += `${help.slice(chunkStart, i)}\n`;
      chunkStart = i + 2;
    } else {
      continue;
    }
    i++;
  }
  return out + help.slice(chunkStart);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
