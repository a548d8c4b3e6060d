/** The previous-series fast path: lines recognised at their place read exactly as a full parse reads them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateExposition } from '#test-support/generate-exposition.js';
import { ExpositionError } from './exposition-error.js';
import type { ExpositionSample, PreviousSeries } from './exposition-types.js';
import { parseExposition } from './parse-exposition.js';

/** What a caller keeps of a parse: the series and names, as detached copies. */
function remember(samples: readonly ExpositionSample[]): PreviousSeries[] {
  return samples.map((s) => ({
    series: `${s.series} `.slice(0, -1),
    name: `${s.name} `.slice(0, -1),
  }));
}

function parseWith(text: string, previous: readonly PreviousSeries[]) {
  return parseExposition(text, 'prometheus', { previousSeries: previous }).samples;
}

/** The fields a fast parse must give exactly as a full one. */
function fields(samples: readonly ExpositionSample[]) {
  return samples.map((s) => [s.name, s.series, s.value, s.timestampMs]);
}

describe('parseExposition with previousSeries', () => {
  const before = [
    '# TYPE a counter',
    'a{x="1"} 1',
    'a{x="}",y="say \\"hi\\" {"} 2 1700000000000',
    'b 4',
    'c {z="3"} 5',
    '',
  ].join('\n');
  const previous = remember(parseExposition(before).samples);

  it('hands back the given strings for lines that repeat, with empty labels', () => {
    const after = before.replace(' 1\n', ' 10\n').replace('b 4', 'b 40');
    const samples = parseWith(after, previous);
    expect(fields(samples)).toEqual(fields(parseExposition(after).samples));
    samples.forEach((s, i) => {
      expect(s.series).toBe(previous[i].series);
      expect(s.name).toBe(previous[i].name);
    });
    expect(samples.map((s) => s.labels)).toEqual([{}, {}, {}, {}]);
    expect(samples[1].timestampMs).toBe(1_700_000_000_000);
  });

  it('reads new lines in full and finds its place again after lines come and go', () => {
    const after = [
      'new{n="0"} 0',
      'a{x="1"} 1',
      // a{x="}",...} is gone
      'b 4',
      'a{x="2"} 6',
      'c {z="3"} 5',
      '',
    ].join('\n');
    const samples = parseWith(after, previous);
    expect(fields(samples)).toEqual(fields(parseExposition(after).samples));
    expect(samples.map((s) => s.labels)).toEqual([{ n: '0' }, {}, {}, { x: '2' }, {}]);
    expect(samples[1].series).toBe(previous[0].series);
    expect(samples[4].series).toBe(previous[3].series);
  });

  it('does not take a bare name for the start of a longer name or of a label block', () => {
    const after = 'b_total 1\nb{k="v"} 2\nb  {k="w"} 3\nb\t4\n';
    const samples = parseWith(after, previous);
    expect(fields(samples)).toEqual(fields(parseExposition(after).samples));
    expect(samples.map((s) => s.labels)).toEqual([{}, { k: 'v' }, { k: 'w' }, {}]);
  });

  it('gives the same errors, at the same places, on lines it recognises', () => {
    for (const bad of [
      'a{x="1"} one\n',
      'a{x="1"}2\n',
      'a{x="1"} 1 2 3\n',
      'a{x="1"}{y="2"} 1\n',
      'b\n',
      'a{x="1"} 1 # {t="1"} 1\n',
    ]) {
      const full = caught(() => parseExposition(bad));
      const fast = caught(() => parseWith(bad, previous));
      expect(full).toBeInstanceOf(ExpositionError);
      expect(fast).toEqual(full);
    }
  });
});

describe('parseExposition with previousSeries, at scale and in OpenMetrics', () => {
  it('reads a large exposition right whether its lines stay, move, or change wholesale', () => {
    const body = generateExposition({ series: 1_500 }).text;
    const lines = body.split('\n').filter((l) => l !== '');
    const remembered = remember(parseExposition(body).samples);
    const reversed = [...lines].reverse();
    const variants = [
      body,
      // A block of 200 lines gone, and one of 100 new ones in their place.
      [
        ...lines.slice(0, 500),
        ...lines.slice(700, 800).map((l) => l.replace('{', '{new="1",')),
        ...lines.slice(700),
      ],
      // Every line in another place: the parse stops guessing early, and reads all in full.
      reversed,
    ].map((v) => (Array.isArray(v) ? `${v.join('\n')}\n` : v));
    for (const text of variants) {
      expect(fields(parseWith(text, remembered))).toEqual(fields(parseExposition(text).samples));
    }
  });

  it('reads OpenMetrics lines, timestamps and exemplars as a full parse does', () => {
    const om = [
      'a_total{x="1"} 1 1.5 # {trace="t"} 0.5 1.25',
      'a_total{x="2"} 2 # {trace="u"} 1',
      'a_created{x="1"} 1.7e9',
      '# EOF',
      '',
    ].join('\n');
    const first = parseExposition(om, 'openmetrics').samples;
    const fast = parseExposition(om, 'openmetrics', { previousSeries: remember(first) }).samples;
    expect(fast.map((s) => [...fields([s])[0], s.exemplar])).toEqual(
      first.map((s) => [...fields([s])[0], s.exemplar]),
    );
  });
});

/** The error `fn` throws, or its result. */
function caught<T>(fn: () => T): T | unknown {
  try {
    return fn();
  } catch (err) {
    return err;
  }
}

// --- Property: whatever the previous exposition was, the result is the full parse's ---

const line = fc.oneof(
  fc.constantFrom(
    'a{x="1"} 1',
    'a{x="1"} 2 1700000000000',
    'a{x="2"} 3',
    'a {x="2"} 3',
    'a{x="1",y="2"} 4',
    'a{x="1"}5',
    'a{x="1" 6',
    'a_b{x="1"} 7',
    'b 8',
    'b 9 10',
    'b{} 11',
    'b_c 12',
    'c{q="}\\"{"} 13',
    '{"d.e",x="1"} 14',
    '# HELP a text',
    '',
    'a{x="1"} x',
    'b',
  ),
  fc.string({
    unit: fc.constantFrom('a', 'b', '{', '}', '"', '=', ' ', '1', '\\', 'x'),
    maxLength: 12,
  }),
);
const exposition = fc.array(line, { maxLength: 16 }).map((lines) => `${lines.join('\n')}\n`);

describe('parseExposition with previousSeries, on any pair of expositions', () => {
  it('returns what a full parse returns, or throws the same error', () => {
    fc.assert(
      fc.property(exposition, exposition, (earlier, later) => {
        let previous: PreviousSeries[];
        try {
          previous = remember(parseExposition(earlier).samples);
        } catch {
          return; // an earlier scrape that failed leaves nothing to remember
        }
        const full = caught(() => parseExposition(later).samples);
        const fast = caught(() => parseWith(later, previous));
        if (full instanceof Error) {
          expect(fast).toEqual(full);
          expect((fast as ExpositionError).message).toBe(full.message);
          return;
        }
        const fullSamples = full as ExpositionSample[];
        const fastSamples = fast as ExpositionSample[];
        expect(fields(fastSamples)).toEqual(fields(fullSamples));
        fastSamples.forEach((s, i) => {
          // A line recognised at its place comes back without labels; any other is read in full.
          const skipped =
            s.series !== s.name &&
            Object.keys(s.labels).length === 0 &&
            Object.keys(fullSamples[i].labels).length > 0;
          if (skipped) expect(previous.some((p) => p.series === s.series)).toBe(true);
          if (!skipped) expect(s.labels).toEqual(fullSamples[i].labels);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
