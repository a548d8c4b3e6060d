/** Element-wise math functions (abs … rad, round, clamp) with Go's and Prometheus's semantics. */

const frexpView = new DataView(new ArrayBuffer(8));

/** Go's math.Log2: split x = frac·2^exp; exact for powers of two, else ln(frac)/ln 2 + exp. */
function goLog2(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log2(x);
  let scale = 0;
  // Subnormals have no implicit bit; scale them into the normal range first, as Go's Frexp does.
  if (x < 2.2250738585072014e-308) {
    x *= 2 ** 52;
    scale = -52;
  }
  frexpView.setFloat64(0, x);
  const hi = frexpView.getUint32(0);
  const exp = ((hi >>> 20) & 0x7ff) - 1022 + scale;
  // Replace the exponent bits so frac lands in [0.5, 1).
  frexpView.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  const frac = frexpView.getFloat64(0);
  if (frac === 0.5) return exp - 1;
  // Math.LOG2E is 1/ln 2 rounded once, like Go's constant expression (1 / Ln2).
  return Math.log(frac) * Math.LOG2E + exp;
}

/**
 * Single-argument math functions by PromQL name, giving Prometheus's answers for NaN, ±Inf and
 * out-of-domain inputs (NaN). log10 and log2 follow Go's formulas so the last bit matches too.
 * @example
 * MATH_KERNELS.sgn(-3); // -1
 * MATH_KERNELS.deg(Math.PI); // 180
 */
export const MATH_KERNELS: Readonly<Record<string, (v: number) => number>> = Object.freeze({
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  // Go computes log10 as ln(x) · (1/ln 10), the constant rounded once (Math.LOG10E).
  log10: (v: number) => Math.log(v) * Math.LOG10E,
  log2: goLog2,
  sgn: (v: number) => (v < 0 ? -1 : v > 0 ? 1 : v),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v: number) => (v * 180) / Math.PI,
  rad: (v: number) => (v * Math.PI) / 180,
});

/**
 * Prometheus's round: `floor(v / toNearest + 0.5) * toNearest`, computed with the inverse as
 * Prometheus does (fewer float artifacts); ties round up, towards +Inf.
 * @example
 * roundTo(2.5, 1); // 3
 * roundTo(-2.5, 1); // -2
 * roundTo(7.33, 0.1); // 7.3
 */
export function roundTo(v: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

/**
 * clamp(v, min, max): undefined (drop the sample) when max < min; a NaN bound or value gives NaN.
 * @example
 * clamp(5, 0, 3); // 3
 * clamp(5, 3, 0); // undefined
 */
export function clamp(v: number, min: number, max: number): number | undefined {
  if (max < min) return undefined;
  // Math.max/min propagate NaN like Go's math.Max/Min.
  return Math.max(min, Math.min(max, v));
}

/**
 * clamp_min(v, min): max(min, v); NaN in either gives NaN.
 * @example
 * clampMin(-1, 0); // 0
 */
export function clampMin(v: number, min: number): number {
  return Math.max(min, Math.min(Number.POSITIVE_INFINITY, v));
}

/**
 * clamp_max(v, max): min(max, v); NaN in either gives NaN.
 * @example
 * clampMax(7, 5); // 5
 */
export function clampMax(v: number, max: number): number {
  return Math.max(Number.NEGATIVE_INFINITY, Math.min(max, v));
}
