/** Parses promqltest's series lines (`metric{a="b"} 1+2x10 _ stale`) and durations. */
import type { Labels } from '../../src/server/model/model.js';
import { readDuration } from '../../src/shared/duration.js';

/** One expanded point of a series line: a float, an omitted step, or a native histogram. */
export type SeriesValue = number | 'omitted' | 'stale' | 'histogram';

export interface SeriesLine {
  readonly labels: Labels;
  readonly values: SeriesValue[];
}

/**
 * Parses a Prometheus duration (`1h30m`, `10s53ms`) or a bare number of seconds (`0`, `90`), to ms.
 * @example parseDurationMs('1m30s') // 90000
 */
export function parseDurationMs(text: string): number {
  const s = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const { ms } = readDuration(s);
  if (ms === undefined) throw new Error(`bad duration "${text}"`);
  return ms;
}

const UNSIGNED_RE = String.raw`(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)`;
const NUMBER_RE = `[+-]?${UNSIGNED_RE}`;
const SEQUENCE = new RegExp(`^(${NUMBER_RE})(?:([+-])(${UNSIGNED_RE}))?x(\\d+)$`, 'i');
const PLAIN = new RegExp(`^${NUMBER_RE}$`, 'i');

/** Parses one float as Go's ParseFloat would for test data (`Inf`, `-inf`, `NaN`, `1e3`). */
export function parseFloatValue(text: string): number {
  if (!PLAIN.test(text)) throw new Error(`bad number "${text}"`);
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body.startsWith('inf')) return sign * Number.POSITIVE_INFINITY;
  if (body === 'nan') return Number.NaN;
  return sign * Number(body);
}

/** Expands one value token: `5`, `1+2x3`, `1x4`, `_`, `_x3`, `stale`, or a `{{…}}` histogram form. */
export function expandValueToken(token: string): SeriesValue[] {
  if (token.includes('{{')) {
    // Native histograms: we only count how many points the token stands for.
    const times = /x(\d+)$/.exec(token);
    return new Array<SeriesValue>(times ? Number(times[1]) + 1 : 1).fill('histogram');
  }
  if (token === '_') return ['omitted'];
  const blank = /^_x(\d+)$/.exec(token);
  if (blank) return new Array<SeriesValue>(Number(blank[1])).fill('omitted');
  // A token, not STALE_NAN itself: V8 may canonicalise a NaN stored in an array of numbers,
  // which would turn the marker into an ordinary NaN before it reaches the store.
  if (token === 'stale') return ['stale'];
  const seq = SEQUENCE.exec(token);
  if (seq) {
    const start = parseFloatValue(seq[1]);
    const delta = seq[2] === undefined ? 0 : parseFloatValue(seq[2] + seq[3]);
    const out: SeriesValue[] = [];
    // Like promqltest, accumulate by repeated addition so the float rounding matches.
    let v = start;
    for (let i = 0; i <= Number(seq[4]); i++) {
      out.push(v);
      v += delta;
    }
    return out;
  }
  return [parseFloatValue(token)];
}

function splitValueTokens(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let tok = '';
    while (i < text.length && !/\s/.test(text[i])) {
      if (text.startsWith('{{', i)) {
        const end = text.indexOf('}}', i);
        if (end < 0) throw new Error(`unterminated histogram in "${text}"`);
        tok += text.slice(i, end + 2);
        i = end + 2;
      } else {
        tok += text[i++];
      }
    }
    tokens.push(tok);
  }
  return tokens;
}

function readQuoted(text: string, start: number): [value: string, next: number] {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && quote !== '`') {
      const c = text[i + 1];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        '"': '"',
        "'": "'",
      };
      if (c in simple) {
        out += simple[c];
        i += 2;
      } else if (c === 'x') {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
      } else if (c === 'u') {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        out += c;
        i += 2;
      }
    } else {
      out += text[i++];
    }
  }
  if (i >= text.length) throw new Error(`unterminated string in "${text}"`);
  return [out, i + 1];
}

/** Parses `name{l="v",…}` from the start of `text`; returns the labels and where the metric ends. */
export function parseMetric(text: string): [labels: Labels, next: number] {
  const labels: Record<string, string> = {};
  let i = 0;
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text);
  if (name) {
    labels.__name__ = name[0];
    i = name[0].length;
  }
  if (text[i] === '{') {
    i++;
    for (;;) {
      while (/\s|,/.test(text[i] ?? '')) i++;
      if (text[i] === '}') {
        i++;
        break;
      }
      let key: string;
      if (text[i] === '"' || text[i] === "'") {
        [key, i] = readQuoted(text, i);
      } else {
        const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
        if (!m) throw new Error(`bad label name at ${i} in "${text}"`);
        key = m[0];
        i += key.length;
      }
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') {
        // A bare quoted string inside braces is the metric name (UTF-8 syntax).
        labels.__name__ = key;
        continue;
      }
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const [value, next] = readQuoted(text, i);
      labels[key] = value;
      i = next;
    }
  }
  if (i === 0) throw new Error(`no metric in "${text}"`);
  return [labels, i];
}

/**
 * Parses a full series line as promqltest writes it under `load` and `eval`.
 * @example parseSeriesLine('up{job="a"} 1+1x2 _') // { labels: {__name__:'up',job:'a'}, values: [1,2,3,'omitted'] }
 */
export function parseSeriesLine(line: string): SeriesLine {
  const [labels, next] = parseMetric(line);
  const values = splitValueTokens(line.slice(next)).flatMap(expandValueToken);
  return { labels, values };
}
