/** Writes one parsed scrape into the head: limits first (all or nothing), then samples via the cache, then staleness markers. */
import { type Labels, STALE_NAN } from '../model/model.js';
import { detach } from '../store/label-interner.js';
import type { AppendResult, HeadStore, SeriesRef } from '../store/types.js';
import { checkLabelLimits, checkSampleLimit, hasLabelLimits } from './apply-limits.js';
import type { SampleColumns } from './exposition/sample-sink.js';
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
 * parseExpositionInto(cache.columns, body, 'prometheus', cache.parseOptions);
 * const outcome = appendScrape(store, target, cache, cache.columns, Date.now());
 * ```
 */
export function appendScrape(
  store: HeadStore,
  target: ScrapeTarget,
  cache: ScrapeCache,
  samples: SampleColumns,
  t: number,
): AppendOutcome {
  const { honorTimestamps } = target;
  const n = samples.length;
  const { found, fresh } = findEntries(store, target, cache, samples);

  // Pass 2: write. Nothing below can fail on the scrape's content.
  const { entries, order } = cache;
  const { series, values, timestamps } = samples;
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
    // A NaN time is a line without one.
    const own = honorTimestamps && !Number.isNaN(timestamps[i]);
    // Two lines may spell one new series; the second finds the first's entry.
    let e = found[i] ?? entries.get(series[i]);
    if (e === undefined) {
      e = addEntry(store, cache, samples, i, fresh!.get(i)!, own, lastName);
      lastName = e.name;
      seriesAdded++;
    }
    order[i] = e;
    const ts = own ? timestamps[i] : t;
    let result: AppendResult;
    try {
      result = store.append(e.ref, ts, values[i]);
    } catch (err) {
      recreate(store, cache, e, err, labelsToStore(samples, i, target.targetLabels));
      result = store.append(e.ref, ts, values[i]);
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

/** What pass 1 found: each sample's cache entry, and for the rest, their checked label sets. */
interface Lookup {
  readonly found: (CacheEntry | undefined)[];
  /** Built only on a miss: a warm scrape allocates nothing per sample. */
  readonly fresh: Map<number, Labels> | undefined;
}

/**
 * Pass 1 of `appendScrape`, no writes: finds each sample's cache entry, or builds its labels and
 * checks every limit, so a scrape that breaks one throws before anything is stored.
 */
function findEntries(
  store: HeadStore,
  target: ScrapeTarget,
  cache: ScrapeCache,
  samples: SampleColumns,
): Lookup {
  const { limits, targetLabels } = target;
  const n = samples.length;
  checkSampleLimit(n, limits);
  const checkLabels = hasLabelLimits(limits);
  const countFresh = limits.seriesLimit > 0 || store.seriesRoom() !== Number.POSITIVE_INFINITY;
  const { entries, order } = cache;
  const series = samples.series;
  const found: (CacheEntry | undefined)[] = new Array(n);
  let fresh: Map<number, Labels> | undefined;
  // Series texts new to the head this scrape, counted once each, for the series limits.
  let freshSeries: Set<string> | undefined;
  for (let i = 0; i < n; i++) {
    const text = series[i];
    // Lines mostly keep their places, and a warm parse hands back the cache's own string: the
    // entry at the same place is then found by identity, without hashing the text.
    const same = order[i];
    const e = same !== undefined && same.series === text ? same : entries.get(text);
    if (e !== undefined) {
      found[i] = e;
      continue;
    }
    const labels = labelsToStore(samples, i, targetLabels);
    if (checkLabels) checkLabelLimits(labels, limits);
    (fresh ??= new Map()).set(i, labels);
    if (countFresh && !store.has(labels)) (freshSeries ??= new Set()).add(text);
  }
  cache.owned.check(store, freshSeries?.size ?? 0, limits.seriesLimit);
  return { found, fresh };
}

/** Creates the series of sample `i` and its cache entry; `lastName` is the last new entry's name. */
function addEntry(
  store: HeadStore,
  cache: ScrapeCache,
  samples: SampleColumns,
  i: number,
  labels: Labels,
  ownTimestamp: boolean,
  lastName: string,
): CacheEntry {
  const ref = store.getOrCreate(labels);
  cache.owned.add(ref);
  // Its own copy: a slice would keep this whole body alive, and compares slower.
  const series = detach(samples.series[i]);
  const name = samples.names[i];
  const e: CacheEntry = {
    series,
    name: name === lastName ? lastName : nameWithin(series, name),
    ref,
    seen: 0,
    tracked: !ownTimestamp,
  };
  cache.entries.set(series, e);
  return e;
}

/**
 * After `store.append` threw `err`: a series the store dropped (retention) refuses its old ref,
 * so `e` gets a new one made from `labels`. Any other error is thrown on.
 */
function recreate(
  store: HeadStore,
  cache: ScrapeCache,
  e: CacheEntry,
  err: unknown,
  labels: Labels,
): void {
  if (!(err instanceof RangeError)) throw err;
  e.ref = store.getOrCreate(labels);
  cache.owned.add(e.ref);
}

/** The label set sample `i` is stored under (its labels are read again if the parse skipped them). */
function labelsToStore(samples: SampleColumns, i: number, targetLabels: Labels): Labels {
  return storedLabels(samples.names[i], sampleLabels(samples.sample(i)), targetLabels);
}

/** `name` as a piece of `series` when it starts it (as it does unless quoted in the braces). */
function nameWithin(series: string, name: string): string {
  if (series.length === name.length && series === name) return series;
  return series.startsWith(name) ? series.slice(0, name.length) : detach(name);
}
