/** Warm scrapes through the cache store exactly what cold reads of the same bodies store. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../model/model.js';
import { createHead, type MemoryHead } from '../store/memory-head.js';
import { appendScrape, markStale } from './append-scrape.js';
import { parseExposition, parseExpositionInto } from './exposition/parse-exposition.js';
import { SampleColumns } from './exposition/sample-sink.js';
import { ScrapeCache } from './scrape-cache.js';
import { resolveTarget } from './target-config.js';

const TARGET = resolveTarget({ url: 'http://127.0.0.1:9100/metrics', labels: { env: 'test' } });
const T0 = 1_700_000_000_000;

const SERIES = [
  'a{x="1"}',
  'a{x="2"}',
  'a{x="1",le="0.5"}',
  'a{x="1",le="+Inf"}',
  'b',
  'c {q="}\\""}',
  'd{env="clash"}',
  '{"e.f",x="1"}',
];

/** Every series of a head with its times, values and staleness markers, in a stable order. */
function contents(head: MemoryHead) {
  return head
    .select([{ name: '__name__', type: '=~', value: '.+' }])
    .map((s) => {
      const run = head.samples(s.ref, 0, Number.MAX_SAFE_INTEGER);
      const points = Array.from({ length: run.length }, (_, i) =>
        isStaleNaN(run.v[i]) ? [run.t[i], 'stale'] : [run.t[i], run.v[i]],
      );
      return [JSON.stringify(Object.entries(s.labels).sort()), points] as const;
    })
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('appendScrape with the scrape cache', () => {
  it('stores what a cold parse of every body stores, however lines come, go and move', () => {
    const lines = fc.array(fc.tuple(fc.constantFrom(...SERIES.keys()), fc.integer()), {
      maxLength: 10,
    });
    // Some scrapes fail (a timeout, a bad body): their series go stale, and nothing is stored.
    const scrape = fc.record({ lines, fails: fc.boolean() });
    fc.assert(
      fc.property(fc.array(scrape, { minLength: 1, maxLength: 6 }), (scrapes) => {
        const warmHead = createHead();
        const warm = new ScrapeCache();
        const coldHead = createHead();
        const cold = new ScrapeCache();
        let before = new Set<number>();
        scrapes.forEach(({ lines, fails }, k) => {
          const t = T0 + k * 15_000;
          if (fails) {
            expect(markStale(warmHead, warm.fail(), t)).toBe(before.size);
            markStale(coldHead, cold.fail(), t);
            before = new Set();
            return;
          }
          const body = lines.map(([i, v]) => `${SERIES[i]} ${v}\n`).join('');
          parseExpositionInto(warm.columns, body, 'prometheus', warm.parseOptions);
          const warmOutcome = appendScrape(warmHead, TARGET, warm, warm.columns, t);
          // The reference reads every label block and looks every series up by its text.
          const full = parseExposition(body).samples;
          const coldOutcome = appendScrape(coldHead, TARGET, cold, SampleColumns.of(full), t);
          expect(warmOutcome).toEqual(coldOutcome);
          // Every series of the scrape before that this one lacks is marked stale, once.
          const now = new Set(lines.map(([i]) => i));
          expect(warmOutcome.staleMarkers).toBe([...before].filter((i) => !now.has(i)).length);
          before = now;
          expect(warm.order.map((e) => e.series)).toEqual(full.map((s) => s.series));
        });
        expect(contents(warmHead)).toEqual(contents(coldHead));
      }),
      { numRuns: 300 },
    );
  });

  it('remembers the series and metric name of each line, for the next parse', () => {
    const cache = new ScrapeCache();
    const body = 'a_long_metric_name{x="1"} 1\nb 2\n{"c.d"} 3\n';
    appendScrape(createHead(), TARGET, cache, SampleColumns.of(parseExposition(body).samples), T0);
    expect(cache.order.map((e) => [e.series, e.name])).toEqual([
      ['a_long_metric_name{x="1"}', 'a_long_metric_name'],
      ['b', 'b'],
      ['{"c.d"}', 'c.d'],
    ]);
    const again = parseExposition(body, 'prometheus', cache.parseOptions).samples;
    expect(again.map((s) => [s.series, s.name, s.labels])).toEqual([
      ['a_long_metric_name{x="1"}', 'a_long_metric_name', {}],
      ['b', 'b', {}],
      ['{"c.d"}', 'c.d', {}],
    ]);
  });
});
