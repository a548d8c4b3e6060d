/** Reading a chunk list's entries where they lie in an arena: the writer's own list and a reader's view of it alike. */
import type { Arena } from './arena-table.js';
import { ENTRY_BYTES, ENTRY_MAXT_F64, ENTRY_MINT_F64 } from './chunk-layout.js';

/** Entry `i`'s first time, in the list whose slot starts at byte `base` of `list`. */
export function entryMint(list: Arena, base: number, i: number): number {
  return list.f64[((base + i * ENTRY_BYTES) >>> 3) + ENTRY_MINT_F64];
}

/** Entry `i`'s last time. */
export function entryMaxt(list: Arena, base: number, i: number): number {
  return list.f64[((base + i * ENTRY_BYTES) >>> 3) + ENTRY_MAXT_F64];
}

/**
 * The first entry in `[start, end)` whose last time is after `t`, or `end`. Entries are in
 * time order, so a binary search finds it.
 *
 * @example
 * ```ts
 * const i = firstEntryAfter(list, base, start, end, mint); // the first chunk a window needs
 * ```
 */
export function firstEntryAfter(
  list: Arena,
  base: number,
  start: number,
  end: number,
  t: number,
): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entryMaxt(list, base, mid) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
