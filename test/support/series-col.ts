/** Evaluator columns written as plain arrays, for the PromQL evaluation tests. */
import type { Labels } from '../../src/server/model/model.js';
import type { SeriesCol } from '../../src/server/promql/eval/values.js';

/**
 * A column from per-step values; `undefined` means no sample at that step.
 * @example seriesCol({ job: 'api' }, [1, undefined]).present // Uint8Array [1, 0]
 */
export function seriesCol(labels: Labels, values: (number | undefined)[]): SeriesCol {
  return {
    labels,
    values: Float64Array.from(values, (v) => v ?? 0),
    present: Uint8Array.from(values, (v) => (v === undefined ? 0 : 1)),
    dropName: false,
  };
}
