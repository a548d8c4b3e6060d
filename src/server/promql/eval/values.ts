/** The values the evaluator passes between AST nodes: one column per series over all steps. */
import type { Labels } from '../../model/model.js';

/** The evaluation times of one node, in ms: the query's steps, or a subquery's inner steps. */
export interface Grid {
  readonly times: Float64Array;
}

/** One instant-vector series over every step: a value column and a presence mask. */
export interface SeriesCol {
  labels: Labels;
  readonly values: Float64Array;
  readonly present: Uint8Array;
  /** Prometheus 3's delayed name removal: `__name__` goes when the query ends. */
  dropName: boolean;
}

/** One range-vector series: all its samples over the query's span, stale markers removed. */
export interface RawSeries {
  readonly labels: Labels;
  readonly t: Float64Array;
  readonly v: Float64Array;
  dropName: boolean;
}

export interface ScalarValue {
  readonly type: 'scalar';
  readonly values: Float64Array;
}

export interface StringValue {
  readonly type: 'string';
  readonly value: string;
}

export interface VectorValue {
  readonly type: 'vector';
  readonly series: SeriesCol[];
}

/**
 * A range vector: per step `i`, series samples with `ends[i] - rangeMs < t <= ends[i]`.
 * `stepTimes` are the evaluation times the windows belong to.
 */
export interface MatrixValue {
  readonly type: 'matrix';
  /** Read once, in order; a selector loads each series only when it is reached. */
  readonly series: Iterable<RawSeries>;
  readonly ends: Float64Array;
  readonly rangeMs: number;
  /** The query's stop check, for loops over these windows (see `EvalContext.poll`). */
  readonly poll?: () => void;
}

export type EvalValue = ScalarValue | StringValue | VectorValue | MatrixValue;

/** A new series column of `n` steps with nothing present. */
export function newCol(labels: Labels, n: number, dropName = false): SeriesCol {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n), dropName };
}

/**
 * A column with `valueAt(i)` at each of `n` steps, in step order; `undefined` leaves step `i`
 * empty. Returns `undefined` when no step has a value, so callers drop the series.
 */
export function colFromSteps(
  labels: Labels,
  n: number,
  dropName: boolean,
  valueAt: (i: number) => number | undefined,
): SeriesCol | undefined {
  const col = newCol(labels, n, dropName);
  let any = false;
  for (let i = 0; i < n; i++) {
    const r = valueAt(i);
    if (r === undefined) continue;
    col.values[i] = r;
    col.present[i] = 1;
    any = true;
  }
  return any ? col : undefined;
}

/** A scalar with the same value at every step. */
export function constScalar(v: number, n: number): ScalarValue {
  return { type: 'scalar', values: new Float64Array(n).fill(v) };
}
