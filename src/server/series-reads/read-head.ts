/** Answers the series reads over a head store and the scraper's metadata, in whichever thread holds them. */
import { isStaleNaN, type Labels } from '../model/model.js';
import { compareLabels } from '../promql/eval/label-set.js';
import { DEFAULT_MAX_RESULT_BYTES, labelsBytes, tooManyBytes } from '../promql/result-bounds.js';
import type { TargetMetadata } from '../scrape/target-metadata.js';
import type { HeadStore, SeriesView } from '../store/types.js';
import type {
  FederatedSample,
  LimitedList,
  SeriesReader,
  SeriesReadRequest,
  SeriesReads,
  SeriesSelection,
} from './series-reads.js';
import { readTsdbStatus } from './tsdb-status.js';

/** What the reads need of the thread they run in. */
export interface SeriesReadSources {
  readonly head: HeadStore;
  /** The scraper's per-target metadata. */
  readonly metadata: () => TargetMetadata[];
}

function limited<T>(all: T[], limit: number): LimitedList<T> {
  if (limit > 0 && all.length > limit) return { items: all.slice(0, limit), truncated: true };
  return { items: all, truncated: false };
}

/**
 * Counts an answer's bytes as it is collected, against `--query.max-result-bytes`, so a
 * selector over every series is refused before its list is built or sent across threads.
 */
class ByteBudget {
  #used = 0;
  constructor(readonly limit = DEFAULT_MAX_RESULT_BYTES) {}
  /** Adds `n` bytes; false once the budget is passed. */
  take(n: number): boolean {
    this.#used += n;
    return this.#used <= this.limit;
  }
  /** The refusal, in the query engine's words for the same bound. */
  refusal<T>(): LimitedList<T> {
    return { items: [], truncated: false, tooLarge: tooManyBytes(this.limit).message };
  }
}

/** Names or values, each as a JSON string and a comma. */
function stringsWithin<T extends string>(all: T[], sel: SeriesSelection): LimitedList<T> {
  const budget = new ByteBudget(sel.maxBytes);
  const list = limited(all, sel.limit);
  for (const item of list.items) if (!budget.take(item.length + 3)) return budget.refusal();
  return list;
}

/** Every series matching any of the selection's selectors, each once, in label order. */
function selected(head: HeadStore, matcherSets: SeriesSelection['matcherSets']): SeriesView[] {
  const byRef = new Map<number, SeriesView>();
  for (const matchers of matcherSets) {
    for (const s of head.select(matchers)) byRef.set(s.ref, s);
  }
  const views = [...byRef.values()];
  if (matcherSets.length > 1) views.sort((a, b) => compareLabels(a.labels, b.labels));
  return views;
}

/** True when the series holds a sample (a staleness marker counts) with `start <= t <= end`. */
function hasSampleIn(head: HeadStore, ref: number, startMs: number, endMs: number): boolean {
  // `samples` is left-open; one ms lower makes the start inclusive, as Prometheus's range is.
  return head.samples(ref, startMs - 1, endMs).length > 0;
}

/**
 * Whether the range touches what the head holds. Prometheus answers label names and values
 * from the head's index when the range overlaps the head at all, without reading series.
 */
function overlapsHead(head: HeadStore, sel: SeriesSelection): boolean {
  if (sel.startMs === Number.NEGATIVE_INFINITY && sel.endMs === Number.POSITIVE_INFINITY) {
    return true;
  }
  const { oldestMs, newestMs } = head.stats();
  if (oldestMs === null || newestMs === null) return false;
  return sel.startMs <= newestMs && sel.endMs >= oldestMs;
}

function readSeries(head: HeadStore, sel: SeriesSelection): LimitedList<Labels> {
  const budget = new ByteBudget(sel.maxBytes);
  const found: Labels[] = [];
  for (const s of selected(head, sel.matcherSets)) {
    if (!hasSampleIn(head, s.ref, sel.startMs, sel.endMs)) continue;
    if (sel.limit > 0 && found.length === sel.limit) return { items: found, truncated: true };
    if (!budget.take(labelsBytes(s.labels))) return budget.refusal();
    found.push(s.labels);
  }
  return { items: found, truncated: false };
}

function readLabelNames(head: HeadStore, sel: SeriesSelection): LimitedList<string> {
  if (!overlapsHead(head, sel)) return limited([], 0);
  if (sel.matcherSets.length === 0) return stringsWithin(head.labelNames(), sel);
  const names = new Set<string>();
  for (const s of selected(head, sel.matcherSets)) for (const name in s.labels) names.add(name);
  return stringsWithin([...names].sort(), sel);
}

function readLabelValues(
  head: HeadStore,
  sel: SeriesSelection & { readonly name: string },
): LimitedList<string> {
  if (!overlapsHead(head, sel)) return limited([], 0);
  if (sel.matcherSets.length === 0) return stringsWithin(head.labelValues(sel.name), sel);
  const values = new Set<string>();
  for (const s of selected(head, sel.matcherSets)) {
    const v = s.labels[sel.name];
    if (v !== undefined) values.add(v);
  }
  return stringsWithin([...values].sort(), sel);
}

/**
 * The newest sample at or before `atMs` of every selected series, no older than the lookback,
 * staleness markers left out (the exposition format has no way to say them), in label order.
 */
function readFederation(
  head: HeadStore,
  request: SeriesReads['federate']['request'],
): LimitedList<FederatedSample> {
  const { atMs, lookbackMs } = request;
  const budget = new ByteBudget(request.maxBytes);
  const out: FederatedSample[] = [];
  for (const s of selected(head, request.matcherSets)) {
    const run = head.samples(s.ref, atMs - lookbackMs, atMs);
    if (run.length === 0) continue;
    const v = run.v[run.length - 1];
    if (isStaleNaN(v)) continue;
    // A line of text: the labels as written, the value and the time.
    if (!budget.take(labelsBytes(s.labels) + 40)) return budget.refusal();
    out.push({ labels: s.labels, t: run.t[run.length - 1], v });
  }
  return { items: out, truncated: false };
}

/**
 * Answers one read. Pure over its sources, so the engine worker and the in-process engine give
 * the same answers.
 *
 * @example
 * ```ts
 * answerSeriesRead({ head, metadata: () => scrape.metadata() }, { read: 'series', body: selection });
 * ```
 */
export function answerSeriesRead(
  sources: SeriesReadSources,
  request: SeriesReadRequest,
): SeriesReads[SeriesReadRequest['read']]['reply'] {
  const { head } = sources;
  switch (request.read) {
    case 'series':
      return readSeries(head, request.body);
    case 'label-names':
      return readLabelNames(head, request.body);
    case 'label-values':
      return readLabelValues(head, request.body);
    case 'federate':
      return readFederation(head, request.body);
    case 'metadata':
      return sources.metadata();
    case 'tsdb-status':
      return readTsdbStatus(head, request.body.limit);
  }
}

/**
 * A reader over a head in this thread, for servers that run the engine without a worker.
 *
 * @example
 * ```ts
 * const reader = localSeriesReader({ head, metadata: () => scrape.metadata() });
 * ```
 */
export function localSeriesReader(sources: SeriesReadSources): SeriesReader {
  return {
    read: async (read, body) =>
      answerSeriesRead(sources, { read, body } as SeriesReadRequest) as never,
  };
}
