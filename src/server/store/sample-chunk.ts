/** One run of a series' samples in a pooled block: Float64 values and Uint32 time deltas from a base. */
import {
  BLOCK_CAPACITIES,
  BYTES_PER_SLOT,
  MAX_BLOCK_CAPACITY,
  type Slab,
  type SlabPool,
} from './sample-slab.js';

/** Estimated bytes of one chunk object: header, nine fields and the boxed base time. */
export const CHUNK_OBJECT_BYTES = 24 + 9 * 8 + 16;

/**
 * Samples `[start, length)` of one block; those before `start` were truncated and are never
 * read again. Times are `base + delta` with an integer Uint32 delta, so one chunk spans at
 * most ~49 days; a sample beyond that starts a new chunk.
 */
export class SampleChunk {
  slab: Slab;
  /** The slab's arrays, held here too: one pointer less to chase on every append. */
  f64: Float64Array;
  u32: Uint32Array;
  block: number;
  vOff: number;
  tOff: number;
  start = 0;
  length = 0;

  /** `base` must be a safe integer: it is the chunk's first timestamp. */
  constructor(
    pool: SlabPool,
    readonly base: number,
    capacity: number,
  ) {
    this.slab = pool.slabFor(capacity);
    this.block = this.slab.take();
    this.f64 = this.slab.f64;
    this.u32 = this.slab.u32;
    this.vOff = this.slab.valueOffset(this.block);
    this.tOff = this.slab.timeOffset(this.block);
  }

  /** Stores a sample later than every held one; false when full or the delta does not fit. */
  push(pool: SlabPool, t: number, v: number): boolean {
    const d = t - this.base;
    if (d >>> 0 !== d) {
      if (!Number.isSafeInteger(t)) throw new RangeError(`timestamp ${t} is not an integer ms`);
      return false;
    }
    if (this.length === this.slab.capacity && !this.grow(pool)) return false;
    this.f64[this.vOff + this.length] = v;
    this.u32[this.tOff + this.length] = d;
    this.length++;
    return true;
  }

  get full(): boolean {
    return this.length === MAX_BLOCK_CAPACITY;
  }

  get count(): number {
    return this.length - this.start;
  }

  timeAt(i: number): number {
    return this.base + this.u32[this.tOff + i];
  }

  valueAt(i: number): number {
    return this.f64[this.vOff + i];
  }

  firstTime(): number {
    return this.timeAt(this.start);
  }

  lastTime(): number {
    return this.timeAt(this.length - 1);
  }

  /** First index in `[start, length]` whose time is greater than `tMs`. */
  upperBound(tMs: number): number {
    const u32 = this.u32;
    const off = this.tOff;
    const d = tMs - this.base;
    let lo = this.start;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u32[off + mid] > d) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** First index in `[start, length]` whose time is at least `tMs`. */
  lowerBound(tMs: number): number {
    const u32 = this.u32;
    const off = this.tOff;
    const d = tMs - this.base;
    let lo = this.start;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u32[off + mid] >= d) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Copies samples `[from, to)` into `t` and `v` at `at`. Values go through
   * `TypedArray.prototype.set`, which the spec requires to keep NaN bit patterns (the
   * staleness marker), unlike element-wise assignment.
   */
  copyTo(from: number, to: number, t: Float64Array, v: Float64Array, at: number): void {
    const { f64, u32 } = this;
    v.set(f64.subarray(this.vOff + from, this.vOff + to), at);
    const base = this.base;
    const off = this.tOff;
    for (let i = from; i < to; i++) t[at++] = base + u32[off + i];
  }

  /** Gives the block back; the chunk must not be used afterwards. */
  release(pool: SlabPool): void {
    pool.release(this.slab, this.block);
  }

  /** Bytes this chunk's block holds in its slab, used or not. */
  get blockBytes(): number {
    return this.slab.capacity * BYTES_PER_SLOT;
  }

  /** Moves to the next larger block; false when already at the largest. */
  private grow(pool: SlabPool): boolean {
    const capacity = this.slab.capacity;
    if (capacity >= MAX_BLOCK_CAPACITY) return false;
    const next = BLOCK_CAPACITIES.find((c) => c > capacity) ?? MAX_BLOCK_CAPACITY;
    const from = this.slab;
    const fromBlock = this.block;
    const slab = pool.slabFor(next);
    const block = slab.take();
    const vOff = slab.valueOffset(block);
    const tOff = slab.timeOffset(block);
    slab.f64.set(from.f64.subarray(this.vOff, this.vOff + this.length), vOff);
    slab.u32.set(from.u32.subarray(this.tOff, this.tOff + this.length), tOff);
    pool.release(from, fromBlock);
    this.slab = slab;
    this.f64 = slab.f64;
    this.u32 = slab.u32;
    this.block = block;
    this.vOff = vOff;
    this.tOff = tOff;
    return true;
  }
}
