/** What every evaluation step needs: the store, the query's bounds, its options and sample budget. */
import type { HeadReader } from '../../store/types.js';
import { PromqlError } from '../promql-error.js';
import { NEVER_STOP, type QueryStop } from '../query-stop.js';
import type { Grid } from './values.js';

/** Prometheus's default subquery step when none is written (`[30m:]`): one minute. */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;

/** The state of one query's evaluation. */
export class EvalContext {
  /** Samples held so far; checked against `maxSamples`. */
  private loaded = 0;
  /** The most samples held at once, for `stats=all`'s `peakSamples`. */
  peak = 0;
  /** Every sample loaded from the head, for `stats=all`'s `totalQueryableSamples`. */
  total = 0;

  constructor(
    readonly store: HeadReader,
    readonly lookbackMs: number,
    readonly maxSamples: number,
    /** The query's start and end in ms, for `@ start()` and `@ end()`. */
    readonly queryStartMs: number,
    readonly queryEndMs: number,
    /** The default subquery step: the query's step for range queries, else one minute. */
    readonly defaultStepMs: number,
    /** The query's own step in ms, 0 for an instant query, for `step()`. */
    readonly queryStepMs = 0,
    /** Polled as the query runs, so a deadline or a cancel ends it between steps and series. */
    readonly stop: QueryStop = NEVER_STOP,
    /** Most bytes of labels a node may make and the answer may take (`--query.max-result-bytes`). */
    readonly maxResultBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Throws a `timeout` or `canceled` PromqlError once the query must end. */
  poll(): void {
    this.stop.check();
  }

  /** Counts `n` more samples held by the query and fails once it holds too many. */
  charge(n: number): void {
    this.loaded += n;
    this.total += n;
    if (this.loaded > this.peak) this.peak = this.loaded;
    if (this.loaded > this.maxSamples) throw tooManySteps();
  }

  /** Gives back samples a finished node no longer holds. */
  release(n: number): void {
    this.loaded = Math.max(0, this.loaded - n);
  }

  /** The time `@` pins a node to, in ms. */
  atTime(at: number | 'start' | 'end'): number {
    if (at === 'start') return this.queryStartMs;
    if (at === 'end') return this.queryEndMs;
    return at;
  }
}

/** Prometheus's error for a query that would hold more than `maxSamples` samples. */
export function tooManySteps(): PromqlError {
  return new PromqlError(
    'limit',
    'query processing would load too many samples into memory in query execution',
  );
}

/**
 * The grid of a query from `startMs` to `endMs` by `stepMs` (one step for instant queries).
 * More than `maxSteps` steps could never fit the sample limit, so they fail early.
 */
export function makeGrid(
  startMs: number,
  endMs: number,
  stepMs: number,
  maxSteps = Number.POSITIVE_INFINITY,
): Grid {
  const n = stepMs > 0 ? Math.floor((endMs - startMs) / stepMs) + 1 : 1;
  if (n > maxSteps) throw tooManySteps();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = startMs + i * stepMs;
  return { times };
}

/** Steps (or samples read, in a loop over windows) between two polls of the stop check: cheap, yet ~1 ms apart. */
export const POLL_EVERY_STEPS = 0x10000;
