/** How far two sources' `rate` over one window may differ, from where each one's samples of the same counters fall. */
import { labelsText } from '../../src/server/model/label-text.js';

/** A range selector's series as `/api/v1/query` answers it: `[seconds, "value"]` pairs. */
export interface RawSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/** What {@link edgeBound} measures. */
export interface EdgeBound {
  /**
   * Counts one source's span of samples holds and the other's does not, summed over series:
   * at each edge, the difference of the two sources' first (and last) values of a series.
   */
  readonly edgeDifference: number;
  /**
   * The most either source's `rate` can add to its raw increase by extrapolating toward the
   * window's edges: the increase scaled by the uncovered part of the window over the covered.
   */
  readonly extrapolationAtMost: number;
  /** The smaller of the two sources' raw increases (last minus first value, summed over series). */
  readonly increase: number;
}

/** Where a series comes from differs between sources (`job`, `instance`); what it counts does not. */
function seriesKey(metric: Readonly<Record<string, string>>): string {
  const { __name__: _n, job: _j, instance: _i, ...rest } = metric;
  return labelsText(rest);
}

interface Span {
  readonly first: number;
  readonly last: number;
  readonly covered: number;
}

/** First and last value and the time between them; none for fewer than two samples, as `rate`. */
function spanOf(s: RawSeries | undefined): Span | undefined {
  const values = s?.values ?? [];
  const head = values[0];
  const tail = values[values.length - 1];
  if (values.length < 2 || !head || !tail) return undefined;
  return { first: Number(head[1]), last: Number(tail[1]), covered: tail[0] - head[0] };
}

/**
 * Bounds the difference of two sources' `sum(rate(counter[window]))` when both scrape the same
 * counters, each at its own instants, and no counter resets. Each rate times the window is its
 * raw increase plus an extrapolation between 0 and the increase × uncovered / covered time, so
 * the two differ by at most `edgeDifference + extrapolationAtMost` counts over the window. With
 * scrapes on time and steady counts that is about two intervals' worth; late or failed scrapes
 * and bursts widen it by what they really moved.
 *
 * @example
 * ```ts
 * const b = edgeBound(embeddedRaw, prometheusRaw, 10);
 * expect(Math.abs(mine - theirs)).toBeLessThanOrEqual((b.edgeDifference + b.extrapolationAtMost) / 10);
 * ```
 */
export function edgeBound(
  a: readonly RawSeries[],
  b: readonly RawSeries[],
  windowS: number,
): EdgeBound {
  const byKey = (list: readonly RawSeries[]) => new Map(list.map((s) => [seriesKey(s.metric), s]));
  const [mapA, mapB] = [byKey(a), byKey(b)];
  let edgeDifference = 0;
  const increase = [0, 0];
  const extrapolation = [0, 0];
  for (const key of new Set([...mapA.keys(), ...mapB.keys()])) {
    const spans = [spanOf(mapA.get(key)), spanOf(mapB.get(key))];
    spans.forEach((s, i) => {
      if (!s) return;
      const rise = s.last - s.first;
      increase[i] = (increase[i] ?? 0) + rise;
      extrapolation[i] = (extrapolation[i] ?? 0) + (rise * (windowS - s.covered)) / s.covered;
    });
    const [x, y] = spans;
    // A series only one source can rate counts whole: the other's sum lacks it.
    if (x && y) edgeDifference += Math.abs(x.first - y.first) + Math.abs(x.last - y.last);
    else edgeDifference += (x ? x.last - x.first : 0) + (y ? y.last - y.first : 0);
  }
  return {
    edgeDifference,
    extrapolationAtMost: Math.max(...extrapolation),
    increase: Math.min(...increase),
  };
}
