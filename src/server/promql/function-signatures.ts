/** Argument and return types of every Prometheus 3 function, and which of them we evaluate. */
import type { ValueType } from './ast.js';

/** How a PromQL function is called and what it returns. */
export interface FunctionSignature {
  readonly argTypes: readonly ValueType[];
  /** How many trailing entries of `argTypes` may be omitted. */
  readonly optionalArgs: number;
  /** The last argument type repeats without limit (`label_join`, `sort_by_label`). */
  readonly variadic: boolean;
  readonly returnType: ValueType;
  /** False for valid PromQL this engine refuses (native histograms, experimental functions). */
  readonly supported: boolean;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

function sig(
  argTypes: readonly ValueType[],
  returnType: ValueType = V,
  options: { optionalArgs?: number; variadic?: boolean; supported?: boolean } = {},
): FunctionSignature {
  return {
    argTypes,
    returnType,
    optionalArgs: options.optionalArgs ?? 0,
    variadic: options.variadic ?? false,
    supported: options.supported ?? true,
  };
}

const onVector = sig([V]);
const onMatrix = sig([M]);
const dateFn = sig([V], V, { optionalArgs: 1 });
const unsupported = (argTypes: readonly ValueType[], returnType: ValueType = V, optionalArgs = 0) =>
  sig(argTypes, returnType, { optionalArgs, supported: false });

/**
 * Every function name Prometheus 3 knows. A name missing here is an unknown function; one with
 * `supported: false` is refused with an `unsupported` error.
 * @example
 * FUNCTION_SIGNATURES.rate // { argTypes: ['matrix'], returnType: 'vector', supported: true, ... }
 */
export const FUNCTION_SIGNATURES: Readonly<Record<string, FunctionSignature>> = Object.freeze({
  abs: onVector,
  absent: onVector,
  absent_over_time: onMatrix,
  acos: onVector,
  acosh: onVector,
  asin: onVector,
  asinh: onVector,
  atan: onVector,
  atanh: onVector,
  avg_over_time: onMatrix,
  ceil: onVector,
  changes: onMatrix,
  clamp: sig([V, S, S]),
  clamp_max: sig([V, S]),
  clamp_min: sig([V, S]),
  cos: onVector,
  cosh: onVector,
  count_over_time: onMatrix,
  days_in_month: dateFn,
  day_of_month: dateFn,
  day_of_week: dateFn,
  day_of_year: dateFn,
  deg: onVector,
  delta: onMatrix,
  deriv: onMatrix,
  exp: onVector,
  floor: onVector,
  // Over classic `le` buckets; the native-histogram forms are refused at the selector.
  histogram_fraction: sig([S, S, V]),
  histogram_quantile: sig([S, V]),
  histogram_quantiles: sig([V, STR, S, S], V, { optionalArgs: 1, variadic: true }),
  hour: dateFn,
  idelta: onMatrix,
  increase: onMatrix,
  irate: onMatrix,
  label_join: sig([V, STR, STR, STR], V, { optionalArgs: 1, variadic: true }),
  label_replace: sig([V, STR, STR, STR, STR]),
  last_over_time: onMatrix,
  ln: onVector,
  log10: onVector,
  log2: onVector,
  max_over_time: onMatrix,
  min_over_time: onMatrix,
  minute: dateFn,
  month: dateFn,
  pi: sig([], S),
  predict_linear: sig([M, S]),
  present_over_time: onMatrix,
  quantile_over_time: sig([S, M]),
  rad: onVector,
  rate: onMatrix,
  resets: onMatrix,
  round: sig([V, S], V, { optionalArgs: 1 }),
  scalar: sig([V], S),
  sgn: onVector,
  sin: onVector,
  sinh: onVector,
  sort: onVector,
  sort_desc: onVector,
  sqrt: onVector,
  stddev_over_time: onMatrix,
  stdvar_over_time: onMatrix,
  sum_over_time: onMatrix,
  tan: onVector,
  tanh: onVector,
  time: sig([], S),
  timestamp: onVector,
  vector: sig([S]),
  year: dateFn,

  // Native histograms: this engine stores float samples only.
  histogram_avg: unsupported([V]),
  histogram_count: unsupported([V]),
  histogram_stddev: unsupported([V]),
  histogram_stdvar: unsupported([V]),
  histogram_sum: unsupported([V]),

  // Experimental in Prometheus 3 (behind --enable-feature=promql-experimental-functions).
  double_exponential_smoothing: sig([M, S, S]),
  first_over_time: onMatrix,
  info: unsupported([V, V], V, 1),
  integral: unsupported([M, S], V, 1),
  mad_over_time: onMatrix,
  sort_by_label: sig([V, STR], V, { optionalArgs: 1, variadic: true }),
  sort_by_label_desc: sig([V, STR], V, { optionalArgs: 1, variadic: true }),
  ts_of_first_over_time: onMatrix,
  ts_of_last_over_time: onMatrix,
  ts_of_max_over_time: onMatrix,
  ts_of_min_over_time: onMatrix,
  max_of: sig([S, S], S),
  min_of: sig([S, S], S),
  // The query's own bounds and resolution, in seconds (an instant query's step and range are 0).
  start: sig([], S),
  end: sig([], S),
  range: sig([], S),
  step: sig([], S),
  // Removed in Prometheus 3 (renamed double_exponential_smoothing); named so the error says why.
  holt_winters: unsupported([M, S, S]),
});
