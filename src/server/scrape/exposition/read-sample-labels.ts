/** Reads a sample's label block, copying the previous block's labels when only the last value differs. */
import { type MutableLabels, readLabels, readLabelValue } from './read-labels.js';
import type { Scanner } from './scanner.js';

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const BRACE_CLOSE = 125;

/**
 * Reads the label block whose `{` is at `s.pos`, leaving `s.pos` after the `}`, and returns the
 * labels; `s.blockMetricName` is then the metric name in force (`metricName`, or the quoted name
 * inside the braces).
 *
 * Consecutive histogram buckets and summary quantiles differ only in their last label (`le`,
 * `quantile`). So the text of a block up to its last value is kept as a template; a block that
 * starts with exactly that text has exactly those labels, and its label object is a copy of the
 * template's with the last value replaced: one string comparison and one object copy instead of
 * reading and storing every label again.
 */
export function readSampleLabels(s: Scanner, metricName: string): MutableLabels {
  s.blockMetricName = metricName;
  const fromTemplate = readFromTemplate(s);
  if (fromTemplate !== undefined) return fromTemplate;
  const labels: MutableLabels = {};
  const blockStart = s.pos;
  s.blockMetricName = readLabels(s, labels, metricName);
  if (s.quotedNames || s.labelCount === 0 || s.lastLabelName === '__proto__') {
    s.templatePrefix = '';
  } else {
    s.templatePrefix = s.text.slice(blockStart + 1, s.lastValueOpen + 1);
    s.templateLabels = labels;
    s.templateLastName = s.lastLabelName;
    s.templateLastIndex = s.lastLabelIndex;
  }
  return labels;
}

/** The labels via the template, or undefined (with `s.pos` unmoved) when it does not apply. */
function readFromTemplate(s: Scanner): MutableLabels | undefined {
  const prefix = s.templatePrefix;
  if (prefix === '') return undefined;
  const text = s.text;
  const open = s.pos;
  const quote = open + prefix.length; // the last value's opening quote
  if (text.charCodeAt(quote) !== QUOTE || text.substring(open + 1, quote + 1) !== prefix) {
    return undefined;
  }
  s.pos = quote;
  const value = readLabelValue(s, s.templateLastIndex);
  let pos = skipBlanks(text, s.pos);
  if (text.charCodeAt(pos) === COMMA) pos = skipBlanks(text, pos + 1);
  if (text.charCodeAt(pos) !== BRACE_CLOSE) {
    s.pos = open; // more labels follow: read the block the long way
    return undefined;
  }
  s.pos = pos + 1;
  const labels = { ...s.templateLabels };
  labels[s.templateLastName] = value;
  return labels;
}

function skipBlanks(text: string, pos: number): number {
  let c = text.charCodeAt(pos);
  while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
  return pos;
}
