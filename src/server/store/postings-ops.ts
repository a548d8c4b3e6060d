/** Set operations on ascending postings lists. */

/** Refs in both `a` and `b`, ascending. */
export function intersect(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  if (a.length > b.length) [a, b] = [b, a];
  const out: number[] = [];
  if (a.length === 0) return out;
  // When one list is much shorter, binary searches into the long one beat walking it.
  if (a.length * 16 < b.length) {
    let lo = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      let hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      if (lo === b.length) break;
      if (b[lo] === x) out.push(x);
    }
    return out;
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/**
 * The union of lists that share no ref, ascending. The postings of different values of one
 * label never share a series, so no duplicates need removing.
 */
export function unionDisjoint(lists: readonly (readonly number[])[]): ArrayLike<number> {
  if (lists.length === 1) return lists[0];
  let total = 0;
  for (const l of lists) total += l.length;
  // Refs are integers below 2^53; a Float64Array sorts numerically and natively.
  const out = new Float64Array(total);
  let at = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) out[at++] = l[i];
  return out.sort();
}
