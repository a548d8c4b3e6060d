/** The few words the head's writer and its readers in other threads share: the epoch, each reader's pin, arena generations, the truncation cutoff. */
import { MAX_ARENAS } from '../chunk/arena-table.js';

/** Readers (query workers) one head can serve at once. */
export const MAX_READERS = 64;

const EPOCH_I32 = 0;
const PINS_I32 = 1;
const GENERATIONS_I32 = PINS_I32 + MAX_READERS;
/** The truncation cutoff, a BigInt64 after the Int32 words, 8-byte aligned. */
const CUTOFF_I64 = Math.ceil((GENERATIONS_I32 + MAX_ARENAS) / 2);
const BYTES = (CUTOFF_I64 + 1) * 8;
/** `-Infinity` as the cutoff word holds it: nothing truncated yet. */
const NO_CUTOFF = -(2n ** 62n);

/**
 * Shared state of one head, in one `SharedArrayBuffer` that the host makes and hands to the
 * writer and to every reader; every word is read and written with `Atomics`.
 *
 * **Epochs** decide when memory a reader might still read can be reused. The writer retires
 * slots and blocks instead of freeing them, publishes, then `advance`s the epoch; a reader
 * `pin`s the epoch before it reads and unpins after. Memory retired before the epoch moved
 * past `e` is reused once every pinned reader holds an epoch after `e` (`oldestPin`), so a
 * reader never sees a byte change under it. **Generations** count how often each arena index
 * got a new buffer, so a reader knows when the buffer it holds for an index is stale.
 *
 * @example
 * ```ts
 * const share = HeadShare.create(); // host
 * share.pin(0); try { read() } finally { share.unpin(0) } // reader 0
 * share.advance(); reclaim(share.oldestPin()); // writer, after publishing
 * ```
 */
export class HeadShare {
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== BYTES) {
      throw new RangeError(`a head share is ${BYTES} bytes, got ${buffer.byteLength}`);
    }
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
  }

  /** A fresh share: epoch 1, no reader pinned, nothing truncated. */
  static create(): HeadShare {
    const share = new HeadShare(new SharedArrayBuffer(BYTES));
    Atomics.store(share.i32, EPOCH_I32, 1);
    Atomics.store(share.i64, CUTOFF_I64, NO_CUTOFF);
    return share;
  }

  /** The epoch now. */
  get epoch(): number {
    return Atomics.load(this.i32, EPOCH_I32);
  }

  /** Moves the epoch on (writer, after publishing); answers the new one. */
  advance(): number {
    return Atomics.add(this.i32, EPOCH_I32, 1) + 1;
  }

  /** The oldest epoch a reader holds, or the epoch now when none reads. */
  oldestPin(): number {
    let oldest = this.epoch;
    for (let r = 0; r < MAX_READERS; r++) {
      const pin = Atomics.load(this.i32, PINS_I32 + r);
      if (pin !== 0 && pin < oldest) oldest = pin;
    }
    return oldest;
  }

  /**
   * Holds the epoch now for reader `reader` (0 ≤ reader < {@link MAX_READERS}). It is read
   * again after the pin is set, so a writer that moved on meanwhile, and read the pin as
   * unset, cannot have reused what this reader then reads.
   */
  pin(reader: number): void {
    let e = this.epoch;
    for (;;) {
      Atomics.store(this.i32, PINS_I32 + reader, e);
      const now = this.epoch;
      if (now === e) return;
      e = now;
    }
  }

  /** Lets go of reader `reader`'s pin (also the host's cleanup after a reader died). */
  unpin(reader: number): void {
    Atomics.store(this.i32, PINS_I32 + reader, 0);
  }

  /** How often arena `index` got a new buffer. */
  generation(index: number): number {
    return Atomics.load(this.i32, GENERATIONS_I32 + index);
  }

  /** Counts a new buffer for arena `index` (writer, after telling the readers of it). */
  nextGeneration(index: number): number {
    return Atomics.add(this.i32, GENERATIONS_I32 + index, 1) + 1;
  }

  /** Samples before this time were truncated; readers never return them. */
  get truncatedBefore(): number {
    const t = Atomics.load(this.i64, CUTOFF_I64);
    return t === NO_CUTOFF ? Number.NEGATIVE_INFINITY : Number(t);
  }

  set truncatedBefore(t: number) {
    Atomics.store(this.i64, CUTOFF_I64, t === Number.NEGATIVE_INFINITY ? NO_CUTOFF : BigInt(t));
  }
}
