/** The data model every server stage shares: label sets, matchers, samples and the staleness marker. */

/**
 * A label set. `__name__` holds the metric name once a sample reaches the store;
 * the exposition parser keeps the name apart in `ExpositionSample.name`.
 */
export type Labels = Readonly<Record<string, string>>;

/** The four PromQL label matcher kinds. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher, as in `{job=~"api|web"}`. Regexes are fully anchored, as in Prometheus. */
export interface LabelMatcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
}

/** Prometheus's staleness marker: a NaN with the payload 0x7ff0000000000002. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const scratch = new DataView(new ArrayBuffer(8));
scratch.setBigUint64(0, STALE_NAN_BITS);

/** The staleness marker as a number. Only `isStaleNaN` can tell it from an ordinary NaN. */
export const STALE_NAN: number = scratch.getFloat64(0);

/** True when `v` is the staleness marker (and not an ordinary NaN). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  scratch.setFloat64(0, v);
  return scratch.getUint32(0) === 0x7ff00000 && scratch.getUint32(4) === 0x00000002;
}
