/** The head's cardinality in the rows of Prometheus's `/api/v1/status/tsdb`. */
import type { HeadStore } from '../store/types.js';
import type { TsdbCount, TsdbStatus } from './series-reads.js';

/** Prometheus's head cuts a chunk every 120 samples; the status counts chunks in that unit. */
const SAMPLES_PER_CHUNK = 120;

function top(counts: Map<string, number>, limit: number): TsdbCount[] {
  return [...counts]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/**
 * Counts series by metric name and by label pair, distinct values and their bytes by label name,
 * the `limit` largest of each (Prometheus shows 10). One pass over the head's series.
 *
 * @example
 * ```ts
 * readTsdbStatus(head, 10).seriesCountByMetricName; // [{ name: 'http_requests_total', value: 42 }, …]
 * ```
 */
export function readTsdbStatus(head: HeadStore, limit: number): TsdbStatus {
  const byName = new Map<string, number>();
  const byPair = new Map<string, number>();
  const values = new Map<string, Set<string>>();
  let chunks = 0;
  let series = 0;
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const name of head.labelValues('__name__')) {
    for (const s of head.select([{ name: '__name__', type: '=', value: name }])) {
      series++;
      add(byName, name, 1);
      for (const [k, v] of Object.entries(s.labels)) {
        add(byPair, `${k}=${v}`, 1);
        let set = values.get(k);
        if (!set) values.set(k, (set = new Set()));
        set.add(v);
      }
      const run = head.samples(s.ref, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
      chunks += Math.ceil(run.length / SAMPLES_PER_CHUNK);
      if (run.length > 0) {
        minTime = Math.min(minTime, run.t[0]);
        maxTime = Math.max(maxTime, run.t[run.length - 1]);
      }
    }
  }
  const valueCounts = new Map<string, number>();
  const valueBytes = new Map<string, number>();
  let pairs = 0;
  for (const [name, set] of values) {
    valueCounts.set(name, set.size);
    pairs += set.size;
    let bytes = 0;
    for (const v of set) bytes += Buffer.byteLength(v);
    valueBytes.set(name, bytes);
  }
  return {
    headStats: {
      numSeries: series,
      numLabelPairs: pairs,
      chunkCount: chunks,
      // An empty head has no times; Prometheus's int64 extremes do not survive a JSON number.
      minTime: Number.isFinite(minTime) ? minTime : 0,
      maxTime: Number.isFinite(maxTime) ? maxTime : 0,
    },
    seriesCountByMetricName: top(byName, limit),
    labelValueCountByLabelName: top(valueCounts, limit),
    memoryInBytesByLabelName: top(valueBytes, limit),
    seriesCountByLabelValuePair: top(byPair, limit),
  };
}
