import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../model/model.js';
import { createHead } from '../store/index.js';
import { answerSeriesRead, localSeriesReader } from './read-head.js';
import type { SeriesSelection } from './series-reads.js';

const T0 = 1_700_000_000_000;
const ALL = { startMs: Number.NEGATIVE_INFINITY, endMs: Number.POSITIVE_INFINITY, limit: 0 };
const name = (value: string) => [{ name: '__name__', type: '=' as const, value }];

function head() {
  const h = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const up = (job: string, instance: string, times: number[], last?: number) => {
    const ref = h.getOrCreate({ __name__: 'up', job, instance });
    for (const t of times) h.append(ref, T0 + t, 1);
    if (last !== undefined) h.append(ref, T0 + last, STALE_NAN);
  };
  up('api', 'a:1', [0, 15_000, 30_000]);
  up('web', 'w:1', [0, 15_000], 20_000);
  // Only old samples: outside a range that starts at 60 s.
  const old = h.getOrCreate({ __name__: 'old_metric', job: 'api', extra: 'x' });
  h.append(old, T0 - 600_000, 5);
  return h;
}

const read = (sel: Partial<SeriesSelection> & Pick<SeriesSelection, 'matcherSets'>) => ({
  ...ALL,
  ...sel,
});

describe('answerSeriesRead', () => {
  const sources = { head: head(), metadata: () => [] };

  it('series: any selector matches, each series once, in label order, within the range', () => {
    const r = answerSeriesRead(sources, {
      read: 'series',
      body: read({ matcherSets: [name('up'), [{ name: 'job', type: '=', value: 'api' }]] }),
    });
    expect(r).toEqual({
      items: [
        { __name__: 'old_metric', extra: 'x', job: 'api' },
        { __name__: 'up', instance: 'a:1', job: 'api' },
        { __name__: 'up', instance: 'w:1', job: 'web' },
      ],
      truncated: false,
    });
    const recent = answerSeriesRead(sources, {
      read: 'series',
      body: read({ matcherSets: [[{ name: 'job', type: '=', value: 'api' }]], startMs: T0 }),
    });
    expect(recent).toEqual({
      items: [{ __name__: 'up', instance: 'a:1', job: 'api' }],
      truncated: false,
    });
  });

  it('series: a staleness marker is a sample in range; a limit cuts and says so', () => {
    const r = answerSeriesRead(sources, {
      read: 'series',
      body: read({ matcherSets: [name('up')], startMs: T0 + 20_000, endMs: T0 + 20_000 }),
    });
    expect(r).toEqual({
      items: [{ __name__: 'up', instance: 'w:1', job: 'web' }],
      truncated: false,
    });
    const cut = answerSeriesRead(sources, {
      read: 'series',
      body: read({ matcherSets: [name('up')], limit: 1 }),
    });
    expect(cut).toEqual({
      items: [{ __name__: 'up', instance: 'a:1', job: 'api' }],
      truncated: true,
    });
  });

  it('label names and values: from the index without selectors, from the series with them', () => {
    expect(
      answerSeriesRead(sources, { read: 'label-names', body: read({ matcherSets: [] }) }),
    ).toEqual({
      items: ['__name__', 'extra', 'instance', 'job'],
      truncated: false,
    });
    expect(
      answerSeriesRead(sources, { read: 'label-names', body: read({ matcherSets: [name('up')] }) }),
    ).toEqual({ items: ['__name__', 'instance', 'job'], truncated: false });
    expect(
      answerSeriesRead(sources, {
        read: 'label-values',
        body: { ...read({ matcherSets: [name('up')] }), name: 'job' },
      }),
    ).toEqual({ items: ['api', 'web'], truncated: false });
    expect(
      answerSeriesRead(sources, {
        read: 'label-values',
        body: { ...read({ matcherSets: [], limit: 1 }), name: '__name__' },
      }),
    ).toEqual({ items: ['old_metric'], truncated: true });
  });

  it('label names and values: nothing for a range the head does not reach, as Prometheus', () => {
    const far = read({ matcherSets: [], startMs: 0, endMs: 1_000 });
    expect(answerSeriesRead(sources, { read: 'label-names', body: far })).toEqual({
      items: [],
      truncated: false,
    });
    expect(
      answerSeriesRead(sources, { read: 'label-values', body: { ...far, name: 'job' } }),
    ).toEqual({ items: [], truncated: false });
  });

  it('federate: the newest sample within the lookback, staleness markers left out', () => {
    const at = (atMs: number) =>
      answerSeriesRead(sources, {
        read: 'federate',
        body: { matcherSets: [name('up')], atMs: T0 + atMs, lookbackMs: 300_000 },
      });
    expect(at(25_000)).toEqual({
      items: [{ labels: { __name__: 'up', instance: 'a:1', job: 'api' }, t: T0 + 15_000, v: 1 }],
      truncated: false,
    });
    expect((at(10_000) as { items: unknown[] }).items).toHaveLength(2);
    // Past the lookback nothing is left.
    expect(at(400_000)).toEqual({ items: [], truncated: false });
  });

  it('refuses an answer past its byte bound, before building it', () => {
    const sel = read({ matcherSets: [name('up')], maxBytes: 40 });
    const refused = answerSeriesRead(sources, { read: 'series', body: sel });
    expect(refused).toEqual({
      items: [],
      truncated: false,
      tooLarge:
        'query processing would load too many bytes into memory in query execution: the result passes the 40 B limit',
    });
    const fed = answerSeriesRead(sources, {
      read: 'federate',
      body: { matcherSets: [name('up')], atMs: T0 + 10_000, lookbackMs: 300_000, maxBytes: 40 },
    });
    expect((fed as { tooLarge?: string }).tooLarge).toMatch(/passes the 40 B limit/);
  });

  it('tsdb status: series by name, label pairs, distinct values and their bytes', async () => {
    const status = await localSeriesReader(sources).read('tsdb-status', { limit: 2 });
    expect(status.headStats).toEqual({
      numSeries: 3,
      numLabelPairs: 2 + 2 + 2 + 1,
      chunkCount: 3,
      minTime: T0 - 600_000,
      maxTime: T0 + 30_000,
    });
    expect(status.seriesCountByMetricName).toEqual([
      { name: 'up', value: 2 },
      { name: 'old_metric', value: 1 },
    ]);
    expect(status.labelValueCountByLabelName).toEqual([
      { name: '__name__', value: 2 },
      { name: 'instance', value: 2 },
    ]);
    expect(status.seriesCountByLabelValuePair[0]).toEqual({ name: '__name__=up', value: 2 });
  });

  it('the local reader answers the same through the reader interface', async () => {
    const reader = localSeriesReader({
      head: sources.head,
      metadata: () => [{ labels: { job: 'api' }, families: [{ name: 'up', type: 'gauge' }] }],
    });
    expect(await reader.read('metadata', {})).toEqual([
      { labels: { job: 'api' }, families: [{ name: 'up', type: 'gauge' }] },
    ]);
  });
});
