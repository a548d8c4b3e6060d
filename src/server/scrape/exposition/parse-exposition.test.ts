/** What the exposition parser reads: every feature of both formats, on small hand-written fixtures. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFromContentType, parseExposition } from './parse-exposition.js';

const ALLTYPES = fileURLToPath(
  new URL(
    '../../../../../shared/conformance/prometheus/exposition/alltypes.237mfs.prom.txt',
    import.meta.url,
  ),
);
const hasAlltypes = existsSync(ALLTYPES);
if (!hasAlltypes)
  console.warn(`notice: ${ALLTYPES} is absent; the alltypes conformance test is skipped`);

describe('parseExposition, Prometheus text format', () => {
  it('reads names, labels, values and the raw series text', () => {
    const { format, samples } = parseExposition(
      'http_requests_total{method="GET",code="200"} 1027\nup 1\n',
    );
    expect(format).toBe('prometheus');
    expect(samples).toEqual([
      {
        name: 'http_requests_total',
        labels: { method: 'GET', code: '200' },
        value: 1027,
        series: 'http_requests_total{method="GET",code="200"}',
      },
      { name: 'up', labels: {}, value: 1, series: 'up' },
    ]);
  });

  it('gives each sample its own label object', () => {
    const { samples } = parseExposition('a{x="1"} 1\na{x="1"} 2\n');
    expect(samples[0].labels).not.toBe(samples[1].labels);
    expect(samples[1].labels).toEqual({ x: '1' });
  });

  it('reads HELP and TYPE into families, unescaping help text', () => {
    const { families } = parseExposition(
      [
        '# HELP rpc_seconds Latency of\\nRPCs, in \\\\seconds\\t.',
        '# TYPE rpc_seconds summary',
        '# TYPE jobs gauge',
        '# HELP bare',
        '# TYPE plain untyped',
        'rpc_seconds{quantile="0.5"} 0.2',
        '',
      ].join('\n'),
    );
    expect(families).toEqual([
      { name: 'rpc_seconds', type: 'summary', help: 'Latency of\nRPCs, in \\seconds\\t.' },
      { name: 'jobs', type: 'gauge' },
      { name: 'bare', type: 'untyped', help: '' },
      { name: 'plain', type: 'untyped' },
    ]);
  });

  it('unescapes \\\\, \\" and \\n in label values and keeps other escapes as written', () => {
    const { samples } = parseExposition(
      'a{path="C:\\\\dir",msg="say \\"hi\\"\\nbye",tab="a\\tb"} 1\n',
    );
    expect(samples[0].labels).toEqual({ path: 'C:\\dir', msg: 'say "hi"\nbye', tab: 'a\\tb' });
    expect(samples[0].series).toBe('a{path="C:\\\\dir",msg="say \\"hi\\"\\nbye",tab="a\\tb"}');
  });

  it('reads NaN, the infinities in any case, signs, exponents and integer timestamps', () => {
    const text = [
      'a NaN',
      'b +Inf',
      'c -Inf',
      'd Inf',
      'e -inf',
      'f 1.5e3 1700000000123',
      'g -0.25',
      'h .5',
      'i 7.',
      'j 1E-3',
      'k 0',
      '',
    ].join('\n');
    const values = parseExposition(text).samples.map((s) => s.value);
    expect(values).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
      Infinity,
      -Infinity,
      1500,
      -0.25,
      0.5,
      7,
      0.001,
      0,
    ]);
    expect(parseExposition(text).samples[5].timestampMs).toBe(1700000000123);
    expect(parseExposition(text).samples[0].timestampMs).toBeUndefined();
  });

  it('converts exactly like Number() for long and exponent-heavy decimals', () => {
    const tokens = [
      '0.1',
      '2.279966416e+09',
      '7.6238e-05',
      '123456789012345678901',
      '1e-320',
      '9007199254740993',
    ];
    const { samples } = parseExposition(tokens.map((t, i) => `m${i} ${t}`).join('\n'));
    expect(samples.map((s) => s.value)).toEqual(tokens.map(Number));
  });

  it('skips comments, blank lines, leading and trailing blanks, and tolerates the text format quirks', () => {
    const text = [
      '# just a comment',
      '#no space after the hash',
      '',
      '   ',
      '  indented{a="b"} 1  ',
      'spaced {a="b"}\t2\t',
      'trailing_comma{a="b",} 3',
      'empty_braces{} 4',
      'blanks_inside{ a = "b" , c="d" } 5',
      '# EOF',
      'after_eof_is_fine_in_text_format 6',
    ].join('\n');
    const { samples } = parseExposition(text);
    expect(samples.map((s) => [s.name, s.labels, s.value])).toEqual([
      ['indented', { a: 'b' }, 1],
      ['spaced', { a: 'b' }, 2],
      ['trailing_comma', { a: 'b' }, 3],
      ['empty_braces', {}, 4],
      ['blanks_inside', { a: 'b', c: 'd' }, 5],
      ['after_eof_is_fine_in_text_format', {}, 6],
    ]);
    expect(samples[1].series).toBe('spaced {a="b"}');
  });

  it('accepts input without a final newline, and empty input', () => {
    expect(parseExposition('a 1').samples).toHaveLength(1);
    expect(parseExposition('')).toEqual({ format: 'prometheus', samples: [], families: [] });
  });

  it('reads colons in metric names and the quoted UTF-8 name forms', () => {
    const text = [
      'job:rate5m{a="b"} 1',
      '{"http.server.duration", "service.name"="api", le="0.5"} 2',
      'plain{"label with spaces"="x"} 3',
      '# HELP "http.server.duration" Dotted name.',
      '# TYPE "http.server.duration" histogram',
      '',
    ].join('\n');
    const { samples, families } = parseExposition(text);
    expect(samples.map((s) => [s.name, s.labels])).toEqual([
      ['job:rate5m', { a: 'b' }],
      ['http.server.duration', { 'service.name': 'api', le: '0.5' }],
      ['plain', { 'label with spaces': 'x' }],
    ]);
    expect(samples[1].series).toBe('{"http.server.duration", "service.name"="api", le="0.5"}');
    expect(families).toEqual([
      { name: 'http.server.duration', type: 'histogram', help: 'Dotted name.' },
    ]);
  });

  it('treats __proto__ and other Object.prototype names as ordinary labels', () => {
    const { samples } = parseExposition('a{__proto__="x",constructor="y",toString="z"} 1\n');
    const labels = samples[0].labels;
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('reads runs of buckets that differ only in the last label, and the lines that break the run', () => {
    const text = [
      'h_bucket{a="1",le="0.1"} 1',
      'h_bucket{a="1",le="0.2"} 2',
      'h_bucket{a="1",le="0.2",z="9"} 3',
      'h_bucket{a="1",le="0.3" , } 4',
      'h_bucket{a="1",le="0\\"3"} 5',
      'h_count{a="1"} 6',
      'h_bucket{a="2",le="0.1"} 7',
      '',
    ].join('\n');
    const { samples } = parseExposition(text);
    expect(samples.map((s) => s.labels)).toEqual([
      { a: '1', le: '0.1' },
      { a: '1', le: '0.2' },
      { a: '1', le: '0.2', z: '9' },
      { a: '1', le: '0.3' },
      { a: '1', le: '0"3' },
      { a: '1' },
      { a: '2', le: '0.1' },
    ]);
    expect(samples[3].series).toBe('h_bucket{a="1",le="0.3" , }');
    expect(new Set(samples.map((s) => s.labels)).size).toBe(samples.length);
  });

  it('finds a duplicate last label even in a run of buckets', () => {
    expect(() => parseExposition('h{a="1",le="1"} 1\nh{a="1",le="2",le="3"} 1\n')).toThrow(
      'line 2, column 16: duplicate label name "le" in one sample',
    );
  });

  it('keeps the label order as written and reuses nothing across samples wrongly', () => {
    const { samples } = parseExposition('a{x="1",y="2"} 1\na{y="2",x="1"} 1\na{x="10",y="2"} 1\n');
    expect(Object.keys(samples[1].labels)).toEqual(['y', 'x']);
    expect(samples[2].labels).toEqual({ x: '10', y: '2' });
  });
});

describe('parseExposition, OpenMetrics', () => {
  it('reads HELP, TYPE, UNIT, fractional-second timestamps and exemplars', () => {
    const text = [
      '# TYPE rpc_seconds histogram',
      '# UNIT rpc_seconds seconds',
      '# HELP rpc_seconds RPC \\"latency\\".',
      'rpc_seconds_bucket{le="0.5"} 3 1700000000.25 # {trace_id="abc"} 0.31 1700000000.125',
      'rpc_seconds_bucket{le="+Inf"} 5 # {trace_id="def",span="1"} 1.0',
      'rpc_seconds_count 5',
      '# TYPE info_thing info',
      'info_thing_info{version="1.2"} 1 1.5e9',
      '# EOF',
      '',
    ].join('\n');
    const { format, samples, families } = parseExposition(text, 'openmetrics');
    expect(format).toBe('openmetrics');
    expect(families).toEqual([
      { name: 'rpc_seconds', type: 'histogram', unit: 'seconds', help: 'RPC "latency".' },
      { name: 'info_thing', type: 'info' },
    ]);
    expect(samples[0]).toEqual({
      name: 'rpc_seconds_bucket',
      labels: { le: '0.5' },
      value: 3,
      timestampMs: 1700000000250,
      exemplar: { labels: { trace_id: 'abc' }, value: 0.31, timestampMs: 1700000000125 },
      series: 'rpc_seconds_bucket{le="0.5"}',
    });
    expect(samples[1].exemplar).toEqual({ labels: { trace_id: 'def', span: '1' }, value: 1 });
    expect(samples[1].timestampMs).toBeUndefined();
    expect(samples[3].timestampMs).toBe(1_500_000_000_000);
  });

  it('accepts "# EOF" without a final newline and every OpenMetrics type', () => {
    const types = [
      'counter',
      'gauge',
      'histogram',
      'gaugehistogram',
      'stateset',
      'info',
      'summary',
      'unknown',
    ];
    const text = `${types.map((t, i) => `# TYPE m${i} ${t}`).join('\n')}\n# EOF`;
    const { families } = parseExposition(text, 'openmetrics');
    expect(families.map((f) => f.type)).toEqual(types);
  });

  it('gives families declared only by HELP the type "unknown"', () => {
    const { families } = parseExposition('# HELP x Some help.\n# EOF\n', 'openmetrics');
    expect(families).toEqual([{ name: 'x', type: 'unknown', help: 'Some help.' }]);
  });
});

describe('formatFromContentType', () => {
  it('picks openmetrics only for application/openmetrics-text', () => {
    expect(
      formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'),
    ).toBe('openmetrics');
    expect(formatFromContentType(' Application/OpenMetrics-Text ')).toBe('openmetrics');
    expect(formatFromContentType('text/plain; version=0.0.4; charset=utf-8')).toBe('prometheus');
    expect(formatFromContentType('')).toBe('prometheus');
    expect(formatFromContentType(null)).toBe('prometheus');
    expect(formatFromContentType(undefined)).toBe('prometheus');
  });
});

describe('the Prometheus alltypes exposition (../shared conformance data)', () => {
  // 1857 = the non-comment, non-blank lines of the file (grep -vc '^\s*\(#\|$\)'), and the
  // scrape_samples_scraped that Prometheus 2.42 itself reported when scraping this file.
  it.skipIf(!hasAlltypes)('reads all 1857 samples and 237 families', () => {
    const text = readFileSync(ALLTYPES, 'utf8');
    const { samples, families } = parseExposition(text);
    expect(samples).toHaveLength(1857);
    expect(families).toHaveLength(237);
    expect(families.find((f) => f.name === 'go_gc_duration_seconds')?.type).toBe('summary');
    const bucket = samples.find(
      (s) => s.name === 'prometheus_http_request_duration_seconds_bucket' && s.labels.le === '+Inf',
    );
    expect(bucket?.labels.handler).toBeTypeOf('string');
    expect(samples.every((s) => s.series.startsWith(s.name))).toBe(true);
  });
});

describe('parseExposition with knownSeries (the scrape cache fast path)', () => {
  const body = [
    'a{x="1"} 1',
    'a{x="}",y="say \\"hi\\" {"} 2 1700000000000',
    'a{x="2"} 3',
    'b 4',
    '',
  ].join('\n');

  it('skips the label blocks of known series and reads every other field', () => {
    const full = parseExposition(body).samples;
    const known = new Set([full[0].series, full[1].series]);
    const fast = parseExposition(body, 'prometheus', { knownSeries: known }).samples;
    expect(fast.map((s) => s.series)).toEqual(full.map((s) => s.series));
    expect(fast.map((s) => s.value)).toEqual([1, 2, 3, 4]);
    expect(fast[1].timestampMs).toBe(1_700_000_000_000);
    expect(fast[0].labels).toEqual({});
    expect(fast[1].labels).toEqual({});
    expect(fast[2].labels).toEqual({ x: '2' });
  });

  it('still rejects a bad value on a known series line', () => {
    const known = new Set(['a{x="1"}']);
    expect(() => parseExposition('a{x="1"} one\n', 'prometheus', { knownSeries: known })).toThrow(
      /not a number/,
    );
  });

  it('reads a line in full when its block does not close on the line', () => {
    const known = new Set(['a{x="1"']);
    expect(() => parseExposition('a{x="1" 1\n', 'prometheus', { knownSeries: known })).toThrow();
  });
});
