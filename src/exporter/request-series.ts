/** The request series the middleware records into and the metric families read from. */
/** Everything recorded for one label set: the counter's value and the histogram's state. */
export class RequestSeries {
  /** `http_requests_total`. */
  requests = 0;
  /** `http_request_duration_seconds_count`, kept apart so each family can be reset alone. */
  durationCount = 0;
  /** `http_request_duration_seconds_sum`, in seconds. */
  durationSum = 0;
  /** Observations per bucket, not cumulative; the last slot holds those above every bound. */
  readonly durationBuckets: Float64Array;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    bucketCount: number,
  ) {
    this.durationBuckets = new Float64Array(bucketCount + 1);
  }
}

/**
 * What the metric families read: the series and the bucket bounds, nothing that records.
 * The families depend on this, not on `RequestMetrics`, so data flows one way: record → series → render.
 */
export interface RequestSeriesSource {
  /** Every series in creation order, which is the order they are exposed in. */
  readonly series: readonly RequestSeries[];
  /** Upper bounds of the duration buckets, in seconds. */
  readonly bounds: Float64Array;
}
