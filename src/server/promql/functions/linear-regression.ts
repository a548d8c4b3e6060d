/** Least-squares line through a window of samples, as Prometheus's `linearRegression`. */
import { kahanCompensation } from './kahan-sum.js';

/** Slope (per second) and intercept (value at the intercept time) of a fitted line. */
export interface Regression {
  slope: number;
  intercept: number;
}

/**
 * Fits a line to samples `[lo, hi)` with x measured in seconds from `interceptTimeMs`, every
 * sum Kahan-compensated. Writes into `out` (reuse one object) so the hot path allocates nothing.
 * A constant series gives slope 0 exactly (NaN, NaN when the constant is ±Inf).
 * @example
 * const out = { slope: 0, intercept: 0 };
 * linearRegression([0, 60_000], [1, 7], 0, 2, 60_000, out);
 * out; // { slope: 0.1, intercept: 7 }
 */
export function linearRegression(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  lo: number,
  hi: number,
  interceptTimeMs: number,
  out: Regression,
): Regression {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = v[lo];
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = v[i];
    // Compared with !== so that a NaN anywhere makes the series non-constant, as in Go.
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (t[i] - interceptTimeMs) / 1e3;
    let s = sumX + x;
    cX = kahanCompensation(sumX, x, s, cX);
    sumX = s;
    s = sumY + y;
    cY = kahanCompensation(sumY, y, s, cY);
    sumY = s;
    const xy = x * y;
    s = sumXY + xy;
    cXY = kahanCompensation(sumXY, xy, s, cXY);
    sumXY = s;
    const x2 = x * x;
    s = sumX2 + x2;
    cX2 = kahanCompensation(sumX2, x2, s, cX2);
    sumX2 = s;
  }
  if (constY) {
    if (initY === Number.POSITIVE_INFINITY || initY === Number.NEGATIVE_INFINITY) {
      out.slope = Number.NaN;
      out.intercept = Number.NaN;
    } else {
      out.slope = 0;
      out.intercept = initY;
    }
    return out;
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  out.slope = slope;
  out.intercept = sumY / n - (slope * sumX) / n;
  return out;
}
