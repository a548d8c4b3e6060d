/** Property and fuzz tests: rendered expositions read back exactly; mangled ones fail only with ExpositionError, fast. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuTime } from '#test-support/cpu-time.js';
import { generateExposition } from '#test-support/generate-exposition.js';
import { ExpositionError } from './exposition-error.js';
import type { ExpositionFormat } from './exposition-types.js';
import { parseExposition } from './parse-exposition.js';

/** Parses, and returns 'ok' or 'error'; anything thrown but an ExpositionError fails the test. */
function outcome(text: string, format: ExpositionFormat): 'ok' | 'error' {
  try {
    parseExposition(text, format);
    return 'ok';
  } catch (err) {
    if (err instanceof ExpositionError) {
      expect(err.line).toBeGreaterThanOrEqual(1);
      expect(err.column).toBeGreaterThanOrEqual(1);
      return 'error';
    }
    throw new Error(
      `non-ExpositionError for ${JSON.stringify(text.slice(0, 200))}: ${String(err)}`,
    );
  }
}

// --- Rendering valid expositions from a model, to check the parser reads them back exactly ---

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/).filter((n) => n !== '__name__');
const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/);
const labelValue = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '\n', '=', ',', '{', '}', '#', 'é', '☃'),
  maxLength: 8,
});
const sampleValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: false }),
  fc.integer(),
  fc.constant(Number.NaN),
);
const sampleModel = fc.record({
  name: metricName,
  labels: fc.uniqueArray(fc.tuple(labelName, labelValue), { maxLength: 5, selector: ([n]) => n }),
  value: sampleValue,
  timestampMs: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: undefined }),
});

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

describe('parseExposition on rendered expositions', () => {
  it('reads back every sample exactly, in both formats', () => {
    fc.assert(
      fc.property(fc.array(sampleModel, { maxLength: 20 }), fc.boolean(), (models, openMetrics) => {
        const lines = models.map((m) => {
          const labels = m.labels.map(([n, v]) => `${n}="${escapeLabelValue(v)}"`).join(',');
          const series = labels === '' ? m.name : `${m.name}{${labels}}`;
          const ts =
            m.timestampMs === undefined
              ? ''
              : openMetrics
                ? ` ${m.timestampMs / 1000}`
                : ` ${m.timestampMs}`;
          return `${series} ${renderValue(m.value)}${ts}`;
        });
        if (openMetrics) lines.push('# EOF');
        const { samples } = parseExposition(
          `${lines.join('\n')}\n`,
          openMetrics ? 'openmetrics' : 'prometheus',
        );
        expect(samples).toHaveLength(models.length);
        samples.forEach((sample, i) => {
          const m = models[i];
          expect(sample.name).toBe(m.name);
          expect(sample.labels).toEqual(Object.fromEntries(m.labels));
          expect(Object.is(sample.value, m.value) || sample.value === m.value).toBe(true);
          expect(sample.timestampMs).toBe(m.timestampMs);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same series, values and times when known series skip their labels', () => {
    fc.assert(
      fc.property(fc.array(sampleModel, { maxLength: 20 }), fc.boolean(), (models, knowAll) => {
        const text = models
          .map((m) => {
            const labels = m.labels.map(([n, v]) => `${n}="${escapeLabelValue(v)}"`).join(',');
            return `${labels === '' ? m.name : `${m.name}{${labels}}`} ${renderValue(m.value)}\n`;
          })
          .join('');
        const full = parseExposition(text).samples;
        const known = new Set(full.filter((_, i) => knowAll || i % 2 === 0).map((s) => s.series));
        const fast = parseExposition(text, 'prometheus', { knownSeries: known }).samples;
        expect(fast.map((s) => [s.name, s.series, s.value])).toEqual(
          full.map((s) => [s.name, s.series, s.value]),
        );
        fast.forEach((s, i) => {
          expect(s.labels).toEqual(
            known.has(s.series) && s.series !== s.name ? {} : full[i].labels,
          );
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads back label sets drawn from a small pool, so that consecutive lines share prefixes', () => {
    const pair = fc.tuple(
      fc.constantFrom('a', 'b', 'le', 'quantile'),
      fc.constantFrom('x', 'y', '0.5', 'q"\\'),
    );
    const labelSet = fc.uniqueArray(pair, { maxLength: 4, selector: ([n]) => n });
    fc.assert(
      fc.property(fc.array(labelSet, { maxLength: 30 }), fc.boolean(), (sets, spaced) => {
        const sep = spaced ? ' , ' : ',';
        const text = sets
          .map((set) => `m{${set.map(([n, v]) => `${n}="${escapeLabelValue(v)}"`).join(sep)}} 1\n`)
          .join('');
        const { samples } = parseExposition(text);
        samples.forEach((sample, i) => {
          expect(Object.entries(sample.labels)).toEqual(sets[i]);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('reports a duplicate label name exactly on the lines that have one', () => {
    // Small name alphabets make the parser's reuse of names from earlier lines do real work.
    const line = fc.array(fc.constantFrom('a', 'b', 'c', '__proto__'), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        const text = lines
          .map((names) => `m{${names.map((n, i) => `${n}="${i}"`).join(',')}} 1\n`)
          .join('');
        const firstDuplicate = lines.findIndex((names) => new Set(names).size !== names.length);
        try {
          const { samples } = parseExposition(text);
          expect(firstDuplicate).toBe(-1);
          samples.forEach((sample, i) => {
            expect(Object.keys(sample.labels)).toEqual(lines[i]);
          });
        } catch (err) {
          expect(err).toBeInstanceOf(ExpositionError);
          expect((err as ExpositionError).line).toBe(firstDuplicate + 1);
          expect((err as ExpositionError).reason).toMatch(/^duplicate label name/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('converts every double rendered by String() to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const { samples } = parseExposition(`m ${String(value)}\nm ${value.toExponential()}\n`);
        expect(samples[0].value).toBe(Number(String(value))); // String(-0) is "0"
        expect(Math.abs(samples[0].value)).toBe(Math.abs(value));
        expect(samples[1].value).toBe(Number(value.toExponential()));
      }),
      { numRuns: 1000 },
    );
  });
});

// --- Mutating valid expositions: the parser must return or throw ExpositionError, nothing else ---

const seeds: ReadonlyArray<readonly [string, ExpositionFormat]> = [
  [
    '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n' +
      'http_requests_total{method="GET",code="200"} 1027 1395066363000\n' +
      'http_requests_total{method="POST",path="a\\"b\\\\c\\nd"} 3\n# plain comment\n\nup NaN\n',
    'prometheus',
  ],
  [
    '# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\n' +
      'rpc_seconds_bucket{le="0.5"} 3 1700000000.25 # {trace_id="abc"} 0.31 1700000000.125\n' +
      'rpc_seconds_bucket{le="+Inf"} 5\nrpc_seconds_count 5\nrpc_seconds_sum -Inf\n# EOF\n',
    'openmetrics',
  ],
  ['{"my.metric", "service.name"="api"} 1\n# HELP "my.metric" Dotted.\n', 'prometheus'],
  [generateExposition({ series: 45, seed: 7 }).text, 'prometheus'],
];

const interesting = fc.constantFrom(
  '{',
  '}',
  '"',
  '=',
  ',',
  '\\',
  '\n',
  '\r',
  ' ',
  '\t',
  '#',
  'a',
  '0',
  '.',
  '-',
  '+',
  'e',
  'I',
  'N',
  '\u0000',
  '☃',
);

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({ unit: interesting, minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: interesting }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at);
  }
}

describe('parseExposition on mutated and random input', () => {
  it('returns or throws ExpositionError for mutated valid expositions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        ([seed, format], mutations, swapFormat) => {
          const text = mutations.reduce(mutate, seed);
          const other: ExpositionFormat = format === 'prometheus' ? 'openmetrics' : 'prometheus';
          outcome(text, swapFormat ? other : format);
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('returns or throws ExpositionError for random strings of exposition characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: interesting, maxLength: 60 }),
        fc.constantFrom<ExpositionFormat>('prometheus', 'openmetrics'),
        (text, format) => {
          outcome(text, format);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('returns or throws ExpositionError for arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        outcome(text, 'prometheus');
        outcome(`${text}\n# EOF\n`, 'openmetrics');
      }),
      { numRuns: 500 },
    );
  });
});

// --- Hostile input: each stays linear, so a megabyte is handled well within two seconds ---

const MB = 1 << 20;
const hostile: ReadonlyArray<readonly [string, string]> = [
  ['a{ + b=" repeated', `a{${'b="'.repeat(MB / 3)}`],
  ['one unclosed label value', `a{b="${'x'.repeat(MB)}`],
  ['a label value of escapes', `a{b="${'\\"'.repeat(MB / 2)}"} 1\n`],
  ['one huge metric name', `${'a'.repeat(MB)} 1\n`],
  [
    'one line with 60 000 distinct labels',
    `a{${Array.from({ length: 60_000 }, (_, i) => `l${i}="v"`).join(',')}} 1\n`,
  ],
  ['a huge help text full of escapes', `# HELP a ${'\\n\\\\'.repeat(MB / 4)}\n`],
  ['a million blank lines', '\n'.repeat(MB)],
  ['a million opening braces', '{'.repeat(MB)],
  ['a long value token', `a ${'1'.repeat(MB)}\n`],
  ['a long exponent', `a 1e${'0'.repeat(MB)}\n`],
  ['many small samples', 'a{b="c"} 1\n'.repeat(MB / 11)],
  [
    'bucket runs broken by a longer block, with escapes',
    'h{a="\\"",le="1"} 1\nh{a="\\"",le="2",z="3"} 1\n'.repeat(MB / 40),
  ],
];

describe('parseExposition on hostile input', () => {
  // CPU time: what the parse costs, whatever else the machine runs meanwhile.
  it.each(hostile)('%s: ends within 2 s of CPU', async (_name, text) => {
    const { ms } = await cpuTime(() => {
      outcome(text, 'prometheus');
      outcome(text, 'openmetrics');
    });
    expect(ms).toBeLessThan(2000);
  });
});
