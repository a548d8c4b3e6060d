/** Go's strconv float parsing and 'f' formatting, for `le` bucket bounds and count_values labels. */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's `strconv.ParseFloat(s, 64)`: decimal or hex (`0x1p-2`) notation, `Inf`/`Infinity`/`NaN` in
 * any case. Returns undefined where Go returns an error: bad syntax (empty, spaces, `0x10`
 * without exponent, underscores) or a finite value too large for a float64 (`1e400`).
 * histogram_quantile skips buckets whose `le` does not parse.
 * @example
 * parseGoFloat('+Inf'); // Infinity
 * parseGoFloat('.2'); // 0.2
 * parseGoFloat(' 1'); // undefined
 */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const special = SPECIAL.exec(s);
  if (special !== null) {
    if (special[2].toLowerCase() === 'nan') return special[1] === '' ? Number.NaN : undefined;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const hex = HEX.exec(s);
  if (hex === null) return undefined;
  const intDigits = hex[2];
  const fracDigits = hex[3] ?? '';
  if (intDigits === '' && fracDigits === '') return undefined;
  const mantissa = Number.parseInt(`${intDigits}${fracDigits}` || '0', 16);
  const v = mantissa * 2 ** (Number(hex[4]) - 4 * fracDigits.length);
  if (!Number.isFinite(v)) return undefined;
  return hex[1] === '-' ? -v : v;
}

/**
 * Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip, never in
 * exponent form; `NaN`, `+Inf`, `-Inf`, and `-0` for negative zero. count_values uses it for
 * its label values.
 * @example
 * formatGoFloatF(1e21); // '1000000000000000000000'
 * formatGoFloatF(1.5e-7); // '0.00000015'
 */
export function formatGoFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const s = Math.abs(v).toString();
  const e = s.indexOf('e');
  if (e < 0) return sign + s;
  // Shortest digits from toString, moved out of exponent form.
  const mantissa = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/**
 * How OpenMetrics writes a float (Prometheus's `FormatOpenMetricsFloat`): Go's shortest `%g`,
 * with `.0` added when that has no point or exponent; `NaN`, `+Inf`, `-Inf`.
 * @example
 * formatOpenMetricsFloat(1); // '1.0'
 * formatOpenMetricsFloat(0.25); // '0.25'
 * formatOpenMetricsFloat(1e-5); // '1e-05'
 * formatOpenMetricsFloat(1.5e6); // '1.5e+06'
 */
export function formatOpenMetricsFloat(v: number): string {
  if (!Number.isFinite(v) || v === 0) {
    return v === 0 ? (Object.is(v, -0) ? '-0.0' : '0.0') : formatGoFloatF(v);
  }
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  // Go's shortest %g switches to exponent form below 1e-4 and from 1e6 (its precision 6).
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = formatGoFloatF(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
