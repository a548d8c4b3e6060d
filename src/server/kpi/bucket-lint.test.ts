/** The bucket lint through the embedded source over a real head: a missing bound, a present one, a differently spelled one. */
import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../promql/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import { createHead } from '../store/memory-head.js';
import { lintBuckets } from './bucket-lint.js';
import { querySelectors } from './query-selectors.js';

function head(bounds: readonly string[], service = 'efile') {
  const h = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const le of bounds) {
    const ref = h.getOrCreate({ __name__: 'http_request_duration_seconds_bucket', service, le });
    h.append(ref, 1_000, 1);
  }
  return createEmbeddedSource(new PromqlEngine(h, {}), { head: h });
}

const query = (le: string) =>
  `sum(rate(http_request_duration_seconds_bucket{service="efile",le="${le}"}[5m]))
   / sum(rate(http_request_duration_seconds_count{service="efile"}[5m]))`;

describe('lintBuckets', async () => {
  it('warns when the histogram has no bucket at the bound the query selects', async () => {
    const h = head(['0.5', '1', '5', '+Inf']);
    expect(await lintBuckets(querySelectors(query('2')), h)).toEqual([
      'histogram http_request_duration_seconds has no bucket le="2" (has 0.5, 1, 5): that selector matches no series; use a scraped bound or add the bucket to the exporter',
    ]);
  });

  it('is quiet when the bound exists, or when the histogram has no series at all', async () => {
    expect(await lintBuckets(querySelectors(query('1')), head(['0.5', '1', '5', '+Inf']))).toEqual(
      [],
    );
    expect(await lintBuckets(querySelectors(query('2')), head(['1'], 'payroll'))).toEqual([]);
    expect(
      await lintBuckets(querySelectors('sum(rate(x_bucket{le=~"2"}[5m]))'), head(['1'])),
    ).toEqual([]);
  });

  it('points out a bound spelled differently from the scraped one', async () => {
    const h = head(['0.5', '1.0', '2.0', '+Inf']);
    expect(await lintBuckets(querySelectors(query('2')), h)).toEqual([
      'histogram http_request_duration_seconds has its bucket le="2" spelled le="2.0": the matcher compares text, so write le="2.0"',
    ]);
  });
});
