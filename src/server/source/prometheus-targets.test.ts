/** Prometheus's answers mapped to ours: active targets as target health, matchers as a selector. */
import { describe, expect, it } from 'vitest';
import { selectorText } from './prometheus-source.js';
import { toTargetHealthList } from './prometheus-targets.js';
import { QueryError } from './query-error.js';
import { watchReachability } from './reachability.js';

describe('toTargetHealthList', () => {
  it('keeps url, job and labels, and reads a never-scraped target as unknown', () => {
    const data = {
      activeTargets: [
        {
          scrapeUrl: 'http://127.0.0.1:8001/metrics',
          scrapePool: 'efile',
          labels: { job: 'efile', instance: '127.0.0.1:8001', service: 'efile' },
          health: 'down',
          lastError: 'connection refused',
          lastScrape: '2026-12-02T17:00:00.5Z',
          lastScrapeDuration: 0.0123,
        },
        {
          scrapeUrl: 'http://127.0.0.1:8002/metrics',
          scrapePool: 'status',
          labels: {},
          health: 'unknown',
          lastError: '',
          lastScrape: '0001-01-01T00:00:00Z',
          lastScrapeDuration: 0,
        },
      ],
      droppedTargets: [],
    };
    expect(toTargetHealthList(data)).toEqual([
      {
        url: 'http://127.0.0.1:8001/metrics',
        job: 'efile',
        labels: { job: 'efile', instance: '127.0.0.1:8001', service: 'efile' },
        health: 'down',
        lastScrape: '2026-12-02T17:00:00.500Z',
        lastDurationMs: 12,
        lastSampleCount: null,
        lastError: 'connection refused',
        lastLatenessMs: null,
        missedSlots: null,
      },
      {
        url: 'http://127.0.0.1:8002/metrics',
        job: 'status',
        labels: {},
        health: 'unknown',
        lastScrape: null,
        lastDurationMs: null,
        lastSampleCount: null,
        lastError: null,
        lastLatenessMs: null,
        missedSlots: null,
      },
    ]);
  });

  it('refuses an answer without a target list', () => {
    expect(() => toTargetHealthList({})).toThrow(QueryError);
  });
});

describe('selectorText', () => {
  it('quotes values as PromQL reads them', () => {
    expect(
      selectorText([
        { name: '__name__', type: '=', value: 'x_bucket' },
        { name: 'path', type: '=~', value: 'a"b\\c.*' },
        { name: 'le', type: '!=', value: '+Inf' },
      ]),
    ).toBe('{__name__="x_bucket",path=~"a\\"b\\\\c.*",le!="+Inf"}');
  });
});

describe('watchReachability', () => {
  it('counts an error answer as reachable and no answer as not', async () => {
    let fail: QueryError | undefined;
    const watched = watchReachability({
      instant: async () => {
        if (fail) throw fail;
        return { resultType: 'scalar', result: [0, 1] };
      },
      range: async () => ({ resultType: 'matrix', result: [] }),
    });
    expect(watched.reachable()).toBe(false);
    await watched.source.instant('1', 0);
    expect(watched.reachable()).toBe(true);
    fail = new QueryError('bad_data', 'parse error');
    await expect(watched.source.instant('(', 0)).rejects.toThrow('parse error');
    expect(watched.reachable()).toBe(true);
    fail = new QueryError('unavailable', 'prometheus unreachable: fetch failed');
    await expect(watched.source.instant('1', 0)).rejects.toThrow(QueryError);
    expect([watched.reachable(), watched.lastError()]).toEqual([
      false,
      'prometheus unreachable: fetch failed',
    ]);
  });
});
