/** The selector lint over a real head through the embedded source: each verdict, "no errors yet" against "never", and when it holds back. */
import { describe, expect, it } from 'vitest';
import type { Labels } from '../model/model.js';
import { PromqlEngine } from '../promql/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import type { QuerySource } from '../source/query-source.js';
import { createHead } from '../store/memory-head.js';
import { querySelectors } from './query-selectors.js';
import { lintSelectors, type TargetView } from './selector-lint.js';

const AT = 1_800_000_000_000;

/** A head holding one sample of each series, and the embedded source over it. */
function sourceOf(series: readonly Labels[]): QuerySource {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const labels of series) head.append(head.getOrCreate(labels), AT - 10_000, 1);
  return createEmbeddedSource(new PromqlEngine(head, {}), { head });
}

/** The instrumentator's shape on service "refunds", and our exporter's on "efile". */
const MIXED = createMixed();
function createMixed(): Labels[] {
  const out: Labels[] = [];
  for (const status of ['2xx', '4xx'])
    out.push({ __name__: 'http_requests_total', service: 'refunds', handler: '/r', status });
  for (const status of ['200', '500'])
    out.push({ __name__: 'http_requests_total', service: 'efile', route: '/f', status });
  for (const le of ['0.1', '0.5', '1.0', '+Inf'])
    out.push({ __name__: 'latency_seconds_bucket', service: 'refunds', le });
  out.push({ __name__: 'requests_by_method_total', method: 'get', code: '200' });
  return out;
}

const up = (service: string): TargetView => ({
  url: `http://${service}/metrics`,
  job: service,
  labels: { service },
  health: 'up',
  lastError: null,
  lastScrape: '2027-01-15T08:00:00.000Z',
});

async function lint(query: string, source = sourceOf(MIXED), targets?: () => TargetView[]) {
  return lintSelectors(querySelectors(query), source, {
    atMs: AT,
    targets: targets ?? (() => [up('refunds'), up('efile')]),
  });
}

describe('lintSelectors', () => {
  it('names a metric no target exposes, with the nearest exposed name', async () => {
    expect((await lint('sum(rate(http_request_total[5m]))')).warnings).toEqual([
      'no target exposes http_request_total (did you mean http_requests_total?): the selector matches nothing',
    ]);
    expect((await lint('sum(rate(jobs_failed_total[5m]))')).warnings).toEqual([
      'no target exposes jobs_failed_total: check its name (a metric with labels appears only after its first event)',
    ]);
  });

  it('names a label the metric never carries, and the labels it has', async () => {
    expect((await lint('http_requests_total{service="refunds",code=~"5.."}')).warnings).toEqual([
      'http_requests_total{code=~"5.."} can never match: http_requests_total has no label code (it has handler, route, service, status)',
    ]);
  });

  it('quotes the values when none of them, nor any of their form, can match', async () => {
    expect(
      (await lint('http_requests_total{status=~"5[0-9]{2}",service="refunds"}')).warnings,
    ).toEqual([
      'http_requests_total{status=~"5[0-9]{2}"} can never match where service="refunds": status has 2xx, 4xx; "5[0-9]{2}" matches none',
    ]);
    expect((await lint('requests_by_method_total{method="GET"}')).warnings).toEqual([
      'requests_by_method_total{method="GET"} can never match: method has get; "GET" matches none',
    ]);
  });

  it('judges a value where the selector is: another service\'s "500" does not excuse "2xx"', async () => {
    expect((await lint('http_requests_total{service="refunds",status="500"}')).warnings).toEqual([
      'http_requests_total{status="500"} can never match where service="refunds": status has 2xx, 4xx; "500" matches none',
    ]);
  });

  it('says nothing before the first error when the value has the form of those seen', async () => {
    const calm: Labels[] = [
      { __name__: 'http_requests_total', service: 'efile', status: '200', method: 'GET' },
      { __name__: 'http_requests_total', service: 'refunds', status: '2xx', method: 'GET' },
      { __name__: 'http_server_requests_seconds_count', service: 'payments', outcome: 'SUCCESS' },
    ];
    const source = sourceOf(calm);
    for (const query of [
      'http_requests_total{service="efile",status=~"5.."}',
      'http_requests_total{service="efile",status="503"}',
      'http_requests_total{service="refunds",status="5xx"}',
      'http_requests_total{service="efile",method="DELETE"}',
      'http_server_requests_seconds_count{service="payments",outcome="SERVER_ERROR"}',
    ]) {
      expect(
        await lint(query, source, () => [up('efile'), up('refunds'), up('payments')]),
        query,
      ).toEqual({
        warnings: [],
        undecided: false,
      });
    }
  });

  it('says how the bucket bound is spelled', async () => {
    expect((await lint('latency_seconds_bucket{service="refunds",le="1"}')).warnings).toEqual([
      'histogram latency_seconds has its bucket le="1" spelled le="1.0": the matcher compares text, so write le="1.0"',
    ]);
  });

  it('never blames a negative matcher, nor one that an absent label satisfies', async () => {
    for (const query of [
      'http_requests_total{service="refunds",handler!="/r"}',
      'http_requests_total{service="refunds",status!~"2xx|4xx"}',
      'http_requests_total{service="refunds",route=~"/x|"}',
    ]) {
      expect((await lint(query)).warnings, query).toEqual([]);
    }
  });

  it('holds back while a target the selector may read is not up, or has not been seen yet', async () => {
    const down: TargetView = { ...up('refunds'), health: 'down', lastError: 'refused' };
    expect(
      await lint('http_requests_total{service="refunds",status="500"}', undefined, () => [down]),
    ).toEqual({
      warnings: [],
      undecided: true,
    });
    // A target elsewhere does not hold it back.
    expect(
      (
        await lint('http_requests_total{service="efile",code="1"}', undefined, () => [
          down,
          up('efile'),
        ])
      ).warnings,
    ).toHaveLength(1);
    const withTargets = { ...sourceOf(MIXED), targets: async () => [] };
    expect(await lint('nothing_here_total', withTargets, () => [])).toEqual({
      warnings: [],
      undecided: true,
    });
  });

  it('holds back when a target scraped again while the selector was judged', async () => {
    let reads = 0;
    const moving = () => [{ ...up('refunds'), lastScrape: reads++ === 0 ? 'a' : 'b' }];
    expect(
      await lint('http_requests_total{service="refunds",status="500"}', undefined, moving),
    ).toEqual({ warnings: [], undecided: true });
  });

  it('gives nothing for a source that cannot list series', async () => {
    const { series: _, ...table } = sourceOf(MIXED);
    expect(await lint('no_such_metric', table)).toEqual({ warnings: [], undecided: false });
  });
});
