/** What one query cost, as Prometheus's `stats=all` reports it: phase times and sample counts. */

/**
 * Filled in by whoever runs a query when the caller hands one over. Times are ms; counts are
 * the engine's own: samples read from the head, and the most held at once (the figure
 * `--query.max-samples` limits).
 */
export interface QueryStats {
  /** Waiting for a query slot. */
  queueMs: number;
  /** Parsing and checking the query. */
  preparationMs: number;
  /** Evaluating it. */
  evalMs: number;
  /** Ordering and shaping the result. */
  sortMs: number;
  totalQueryableSamples: number;
  peakSamples: number;
}

/**
 * A zeroed record to hand to a query.
 *
 * @example
 * ```ts
 * const stats = emptyQueryStats();
 * engine.instant('up', Date.now(), { stats });
 * stats.peakSamples; // 1
 * ```
 */
export function emptyQueryStats(): QueryStats {
  return {
    queueMs: 0,
    preparationMs: 0,
    evalMs: 0,
    sortMs: 0,
    totalQueryableSamples: 0,
    peakSamples: 0,
  };
}
