/** The samples of one series: a time-ordered list of chunks, appended at the end, cut at the front. */
import { SampleChunk } from './sample-chunk.js';
import { BLOCK_CAPACITIES, MAX_BLOCK_CAPACITY, type SlabPool } from './sample-slab.js';
import type { AppendResult, SampleRun } from './types.js';

const EMPTY = new Float64Array(0);
const NO_CHUNKS: readonly SampleChunk[] = Object.freeze([]);

/** The run with no samples; shared, since nobody can write into a zero-length array. */
export const EMPTY_RUN: SampleRun = { t: EMPTY, v: EMPTY, length: 0 };

/** One sample, as `lastSample` returns it. */
export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * Append-only samples of one series. Chunk `i` holds only times earlier than chunk `i + 1`,
 * and every chunk but the last is sealed.
 */
export class SeriesSamples {
  /** Replaced, never mutated: a new chunk or a cut makes an exact-size copy. */
  chunks: readonly SampleChunk[] = NO_CHUNKS;
  /** The last of `chunks`, the one appends go to; kept apart to save a lookup per append. */
  head: SampleChunk | null = null;
  /** Time of the newest sample; appends must be later. */
  lastT = Number.NEGATIVE_INFINITY;

  /** Stores `(t, v)` if `t` is later than every held sample. Throws on a non-integer `t`. */
  append(pool: SlabPool, t: number, v: number): AppendResult {
    if (t <= this.lastT) return t === this.lastT ? 'duplicate' : 'out-of-order';
    const head = this.head;
    if (head === null || !head.push(pool, t, v)) {
      if (!Number.isSafeInteger(t)) throw new RangeError(`timestamp ${t} is not an integer ms`);
      const chunks = this.chunks;
      const n = chunks.length;
      // A series that has filled a chunk will go on; start it at full size and skip the growing.
      const chunk = new SampleChunk(pool, t, n === 0 ? BLOCK_CAPACITIES[0] : MAX_BLOCK_CAPACITY);
      chunk.push(pool, t, v);
      // A new chunk comes every 240 samples; an exact-size copy beats a push's 17-slot slack.
      this.chunks = n === 0 ? [chunk] : [...chunks, chunk];
      this.head = chunk;
    }
    this.lastT = t;
    return 'ok';
  }

  /** Samples with `mint < t <= maxt`, copied into fresh arrays. */
  range(mint: number, maxt: number): SampleRun {
    const chunks = this.chunks;
    if (!(mint < maxt) || chunks.length === 0 || this.lastT <= mint) return EMPTY_RUN;
    // First chunk whose newest sample is inside the window.
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunks[mid].lastTime() > mint) hi = mid;
      else lo = mid + 1;
    }
    let total = 0;
    let last = lo;
    for (let i = lo; i < chunks.length; i++) {
      const c = chunks[i];
      if (c.firstTime() > maxt) break;
      total += c.upperBound(maxt) - (i === lo ? c.upperBound(mint) : c.start);
      last = i;
    }
    if (total <= 0) return EMPTY_RUN;
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let at = 0;
    for (let i = lo; i <= last; i++) {
      const c = chunks[i];
      const from = i === lo ? c.upperBound(mint) : c.start;
      const to = c.upperBound(maxt);
      c.copyTo(from, to, t, v, at);
      at += to - from;
    }
    return { t, v, length: total };
  }

  /** Drops samples before `cutoff`: whole chunks are freed, the first kept one is cut. */
  truncateBefore(pool: SlabPool, cutoff: number): number {
    const chunks = this.chunks;
    let dropped = 0;
    let gone = 0;
    while (gone < chunks.length && chunks[gone].lastTime() < cutoff) {
      dropped += chunks[gone].count;
      chunks[gone].release(pool);
      gone++;
    }
    if (gone > 0) this.chunks = chunks.slice(gone);
    if (this.chunks.length === 0) this.head = null;
    if (this.chunks.length > 0) {
      const first = this.chunks[0];
      const start = first.lowerBound(cutoff);
      dropped += start - first.start;
      first.start = start;
    }
    return dropped;
  }

  /** Frees every chunk. */
  clear(pool: SlabPool): void {
    for (const c of this.chunks) c.release(pool);
    this.chunks = NO_CHUNKS;
    this.head = null;
  }

  get count(): number {
    let n = 0;
    for (const c of this.chunks) n += c.count;
    return n;
  }

  firstTime(): number | undefined {
    return this.chunks.length > 0 ? this.chunks[0].firstTime() : undefined;
  }

  last(): Sample | undefined {
    const n = this.chunks.length;
    if (n === 0) return undefined;
    const c = this.chunks[n - 1];
    return { t: c.lastTime(), v: c.valueAt(c.length - 1) };
  }
}
