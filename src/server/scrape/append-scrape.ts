/** Writes one parsed scrape into the head: limits first (all or nothing), then samples via the cache, then staleness markers. */
import { type Labels, STALE_NAN } from '../model/model.js';
import { detach } from '../store/label-interner.js';
import type { AppendResult, HeadStore, SeriesRef } from '../store/types.js';
import { checkLabelLimits, checkSampleLimit, hasLabelLimits } from './apply-limits.js';
import type { ExpositionSample } from './exposition/exposition-types.js';
import type { CacheEntry, ScrapeCache } from './scrape-cache.js';
import { sampleLabels, storedLabels } from './series-labels.js';
import type { ScrapeTarget } from './target-config.js';

/** What one append pass did. */
export interface AppendOutcome {
  /** Samples stored. */
  readonly appended: number;
  /** Series new to the target's cache this scrape (Prometheus's `scrape_series_added`). */
  readonly seriesAdded: number;
  /** Samples refused by the store: duplicate or out-of-order times. */
  readonly rejected: number;
  /** Staleness markers written for series that disappeared. */
  readonly staleMarkers: number;
}

/**
 * Appends `value` at `t`, recreating the series if the store dropped it (retention removes empty
 * series, and its ref is then refused with a RangeError).
 */
export function appendRecreating(
  store: HeadStore,
  ref: SeriesRef,
  t: number,
  value: number,
  labels: () => Labels,
): { ref: SeriesRef; ok: boolean } {
  try {
    return { ref, ok: store.append(ref, t, value) === 'ok' };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const fresh = store.getOrCreate(labels());
    return { ref: fresh, ok: store.append(fresh, t, value) === 'ok' };
  }
}

/** Writes staleness markers at `t`; a series the store already dropped needs none. */
export function markStale(
  store: HeadStore,
  entries: readonly Pick<CacheEntry, 'ref'>[],
  t: number,
): number {
  let n = 0;
  for (const e of entries) {
    try {
      if (store.append(e.ref, t, STALE_NAN) === 'ok') n++;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
  }
  return n;
}

/**
 * Stores one scrape's samples at scrape time `t` (or their own timestamps, with
 * `honorTimestamps`). Limits are checked before anything is written, so a scrape that breaks
 * one throws a ScrapeError and leaves the store untouched. Series the previous scrape wrote and
 * this one did not get a staleness marker at `t`.
 *
 * @example
 * ```ts
 * const outcome = appendScrape(store, target, cache, exposition.samples, Date.now());
 * ```
 */
export function appendScrape(
  store: HeadStore,
  target: ScrapeTarget,
  cache: ScrapeCache,
  samples: readonly ExpositionSample[],
  t: number,
): AppendOutcome {
  const { limits, targetLabels, honorTimestamps } = target;
  checkSampleLimit(samples.length, limits);
  const checkLabels = hasLabelLimits(limits);
  const countFresh = limits.seriesLimit > 0 || store.seriesRoom() !== Number.POSITIVE_INFINITY;
  const n = samples.length;
  // Series texts new to the head this scrape, counted once each, for the series limits.
  let freshSeries: Set<string> | undefined;

  // Pass 1, no writes: find each sample's cache entry, or build and check its labels.
  const entries = cache.entries;
  const order = cache.order;
  const found: (CacheEntry | undefined)[] = new Array(n);
  // Built only on a miss: a warm scrape allocates nothing per sample.
  let fresh: Map<number, Labels> | undefined;
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    // Lines mostly keep their places, and a warm parse hands back the cache's own string: the
    // entry at the same place is then found by identity, without hashing the text.
    const same = order[i];
    const e = same !== undefined && same.series === s.series ? same : entries.get(s.series);
    if (e !== undefined) {
      found[i] = e;
      continue;
    }
    const labels = storedLabels(s.name, sampleLabels(s), targetLabels);
    if (checkLabels) checkLabelLimits(labels, limits);
    (fresh ??= new Map()).set(i, labels);
    if (countFresh && !store.has(labels)) (freshSeries ??= new Set()).add(s.series);
  }
  cache.owned.check(store, freshSeries?.size ?? 0, limits.seriesLimit);

  // Pass 2: write. Nothing below can fail on the scrape's content.
  const gen = cache.begin();
  const current: CacheEntry[] = [];
  let seen = 0;
  let previousSeen = 0;
  let appended = 0;
  let rejected = 0;
  let seriesAdded = 0;
  // New series come in runs of one name (a histogram's buckets): they share one name string.
  let lastName = '';
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    let e = found[i];
    if (e === undefined) {
      // Two lines may spell one new series; the second finds the first's entry.
      e = entries.get(s.series);
      if (e === undefined) {
        const labels = fresh!.get(i)!;
        const ref = store.getOrCreate(labels);
        cache.owned.add(ref);
        // Its own copy: a slice would keep this whole body alive, and compares slower.
        const series = detach(s.series);
        e = {
          series,
          name: s.name === lastName ? lastName : (lastName = nameWithin(series, s.name)),
          ref,
          seen: 0,
          tracked: !(honorTimestamps && s.timestampMs !== undefined),
        };
        entries.set(series, e);
        seriesAdded++;
      }
    }
    order[i] = e;
    const ts = honorTimestamps && s.timestampMs !== undefined ? s.timestampMs : t;
    let result: AppendResult;
    try {
      result = store.append(e.ref, ts, s.value);
    } catch (err) {
      // The store dropped the series (retention) and refuses its old ref: make it again.
      if (!(err instanceof RangeError)) throw err;
      e.ref = store.getOrCreate(storedLabels(s.name, sampleLabels(s), targetLabels));
      cache.owned.add(e.ref);
      result = store.append(e.ref, ts, s.value);
    }
    if (result === 'ok') appended++;
    else rejected++;
    if (e.seen !== gen) {
      if (cache.wasPrevious(e)) previousSeen++;
      e.seen = gen;
      seen++;
      if (e.tracked) current.push(e);
    }
  }
  order.length = n;
  const gone = cache.commit(current, seen, previousSeen);
  const staleMarkers = markStale(store, gone, t);
  return { appended, seriesAdded, rejected, staleMarkers };
}

/** `name` as a piece of `series` when it starts it (as it does unless quoted in the braces). */
function nameWithin(series: string, name: string): string {
  if (series.length === name.length && series === name) return series;
  return series.startsWith(name) ? series.slice(0, name.length) : detach(name);
}
