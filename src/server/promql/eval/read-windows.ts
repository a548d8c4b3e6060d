/** Reads one series' samples inside a selector's windows only, skipping the chunks between them. */
import type { HeadReader, SampleRun, SeriesRef } from '../../store/types.js';

/**
 * The samples of `ref` inside the union of the windows `(ends[i] - widthMs, ends[i]]`, in time
 * order. `ends` ascend (or are all equal, under `@`). When the windows overlap into one span,
 * that span is read in one go; when they are apart (a step longer than the range or the
 * lookback, as in `rate(x[5m])` over 3 days at a 1 h step), the store's cursor skips every
 * chunk that ends before the next window without decoding it, and only the samples in windows
 * are kept.
 *
 * @example
 * ```ts
 * const run = readWindows(store, ref, new Float64Array([3_600_000, 7_200_000]), 300_000);
 * // samples in (3_300_000, 3_600_000] and (6_900_000, 7_200_000]
 * ```
 */
export function readWindows(
  store: HeadReader,
  ref: SeriesRef,
  ends: Float64Array,
  widthMs: number,
): SampleRun {
  const n = ends.length;
  let apart = false;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (i > 0 && ends[i] - widthMs > ends[i - 1]) apart = true;
    if (ends[i] < lo) lo = ends[i];
    if (ends[i] > hi) hi = ends[i];
  }
  // Ends that go back (none of today's callers) are read as one span.
  if (!apart || !ascending(ends)) return store.samples(ref, lo - widthMs, hi);
  const cursor = store.cursor(ref, lo - widthMs, hi);
  const out = new RunBuilder();
  let j = 0;
  let have = false;
  let i = 0;
  while (i < n) {
    const from = ends[i] - widthMs;
    // The window's end: this one's, grown over the next windows while they overlap it.
    let to = ends[i];
    while (i + 1 < n && ends[i + 1] - widthMs <= to) to = ends[++i];
    i++;
    // Find the first sample after `from`: in the chunk at hand, else in a later one.
    while (have && j < cursor.length && cursor.t[j] <= from) j++;
    if (!have || j === cursor.length) {
      have = cursor.next(from);
      j = 0;
      if (!have) break;
    }
    for (;;) {
      let k = j;
      while (k < cursor.length && cursor.t[k] <= to) k++;
      out.add(cursor.t, cursor.v, j, k);
      j = k;
      if (j < cursor.length) break;
      // The chunk ended inside the window: go on in the next one.
      have = cursor.next(from);
      j = 0;
      if (!have) break;
    }
    if (!have) break;
  }
  return out.run();
}

function ascending(ends: Float64Array): boolean {
  for (let i = 1; i < ends.length; i++) if (ends[i] < ends[i - 1]) return false;
  return true;
}

/** Growable columns that copy values as bits, so NaN payloads (staleness markers) survive. */
class RunBuilder {
  private t = new Float64Array(128);
  private v = new Float64Array(128);
  private v32 = new Uint32Array(this.v.buffer);
  private length = 0;

  add(t: Float64Array, v: Float64Array, from: number, to: number): void {
    const count = to - from;
    if (count <= 0) return;
    if (this.length + count > this.t.length) this.grow(this.length + count);
    this.t.set(t.subarray(from, to), this.length);
    const src = new Uint32Array(v.buffer, v.byteOffset + from * 8, count * 2);
    this.v32.set(src, this.length * 2);
    this.length += count;
  }

  run(): SampleRun {
    const n = this.length;
    return { t: this.t.subarray(0, n), v: this.v.subarray(0, n), length: n };
  }

  private grow(need: number): void {
    const size = Math.max(need, this.t.length * 2);
    const t = new Float64Array(size);
    const v = new Float64Array(size);
    t.set(this.t.subarray(0, this.length));
    const v32 = new Uint32Array(v.buffer);
    v32.set(this.v32.subarray(0, this.length * 2));
    this.t = t;
    this.v = v;
    this.v32 = v32;
  }
}
