/** Natural order of label values ("cpu2" before "cpu10"), as sort_by_label orders them. */

const CHUNK = /\d+|\D+/g;
/** Digit runs up to this length are compared as numbers, as Go's strconv.Atoi reads them. */
const MAX_INT_DIGITS = 18;

/**
 * Compares two strings run by run: digit runs by their number, other runs as text; when one
 * string's runs are a prefix of the other's, the shorter comes first. Falls back to plain text
 * order when the runs compare equal (`01` and `1`).
 * @example
 * ['10', '2', '1'].sort(naturalCompare); // ['1', '2', '10']
 * naturalCompare('1.2.3', '1.11.3'); // -1
 */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ra = a.match(CHUNK) ?? [];
  const rb = b.match(CHUNK) ?? [];
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const x = ra[i];
    const y = rb[i];
    if (x === y) continue;
    if (isInt(x) && isInt(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (ra.length !== rb.length) return ra.length < rb.length ? -1 : 1;
  return a < b ? -1 : 1;
}

function isInt(run: string): boolean {
  const c = run.charCodeAt(0);
  return c >= 48 && c <= 57 && run.length <= MAX_INT_DIGITS;
}
