/** The parser's sample columns: the same samples as the object list, reused body after body. */
import { describe, expect, it } from 'vitest';
import { parseExposition, parseExpositionInto } from './parse-exposition.js';
import { SampleColumns } from './sample-sink.js';

const OPEN_METRICS = [
  '# TYPE req counter',
  'req_total{code="200"} 7 1700000000.5 # {trace_id="ab"} 1 1700000000',
  'req_total{code="500"} 2',
  'up 1',
  '# EOF',
  '',
].join('\n');

function asObjects(columns: SampleColumns) {
  return Array.from({ length: columns.length }, (_, i) => columns.sample(i));
}

describe('SampleColumns', () => {
  it('holds what parseExposition returns, timestamps and exemplars included', () => {
    const columns = new SampleColumns();
    const families = parseExpositionInto(columns, OPEN_METRICS, 'openmetrics');
    const reference = parseExposition(OPEN_METRICS, 'openmetrics');
    expect(asObjects(columns)).toEqual(reference.samples);
    expect(families).toEqual(reference.families);
    // A line without a timestamp is NaN in the column.
    expect(Number.isNaN(columns.timestamps[1])).toBe(true);
    expect(columns.timestamps[0]).toBe(1_700_000_000_500);
  });

  it('grows past its first capacity and keeps every value', () => {
    const body = Array.from({ length: 100 }, (_, i) => `m{i="${i}"} ${i}\n`).join('');
    const columns = new SampleColumns();
    parseExpositionInto(columns, body);
    expect(columns.length).toBe(100);
    expect(Array.from(columns.values.subarray(0, 100))).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('a shorter body after a longer one leaves no string of the longer one behind', () => {
    const columns = new SampleColumns();
    parseExpositionInto(columns, 'a{x="1"} 1\nb{x="2"} 2\nc{x="3"} 3\n');
    parseExpositionInto(columns, 'd 4\n');
    expect(columns.length).toBe(1);
    expect(columns.series.slice(1, 3)).toEqual(['', '']);
    expect(columns.names.slice(1, 3)).toEqual(['', '']);
  });

  it('after a parse that failed half way, the next body reads whole and drops the rest', () => {
    const columns = new SampleColumns();
    expect(() => parseExpositionInto(columns, 'a 1\nb 2\nc 3\nd {\n')).toThrow(/line 4/);
    parseExpositionInto(columns, 'e 5\n');
    expect(asObjects(columns)).toEqual(parseExposition('e 5\n').samples);
    expect(columns.series.slice(1, 3)).toEqual(['', '']);
  });

  it('clear drops every sample and its strings', () => {
    const columns = new SampleColumns();
    parseExpositionInto(columns, 'a{x="1"} 1\nb 2\n');
    columns.clear();
    expect(columns.length).toBe(0);
    expect(columns.series.slice(0, 2)).toEqual(['', '']);
    expect(columns.exemplars.slice(0, 2)).toEqual([undefined, undefined]);
  });

  it('of() holds the objects it is given', () => {
    const { samples } = parseExposition(OPEN_METRICS, 'openmetrics');
    expect(asObjects(SampleColumns.of(samples))).toEqual(samples);
  });
});
