/** A fixed set of query slots, each with a stop flag in shared memory: the engine's concurrency limit. */
import { STOP_RUNNING } from '../promql/query-stop.js';

/**
 * At most `size` queries hold a slot at once; the rest wait in order. Each slot owns one Int32
 * cell of `flags`, which the holder sets to stop its query and the worker reads as it runs.
 *
 * @example
 * ```ts
 * const slots = new QuerySlots(20);
 * const slot = await slots.acquire();
 * try { … Atomics.store(slots.flags, slot, STOP_CANCELED) … } finally { slots.release(slot) }
 * ```
 */
export class QuerySlots {
  readonly buffer: SharedArrayBuffer;
  readonly flags: Int32Array;
  readonly #free: number[];
  readonly #waiting: ((slot: number) => void)[] = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size > 0)) {
      throw new RangeError(`query slots: size must be a positive integer, got ${size}`);
    }
    this.buffer = new SharedArrayBuffer(4 * size);
    this.flags = new Int32Array(this.buffer);
    this.#free = Array.from({ length: size }, (_, i) => size - 1 - i);
  }

  /** Queries waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * A free slot, its flag cleared; waits when all are taken. `cancel` gives up waiting: the
   * promise then never settles with a slot, and a slot that arrives later is passed on.
   */
  acquire(): { slot: Promise<number>; cancel(): void } {
    const free = this.#free.pop();
    if (free !== undefined) {
      Atomics.store(this.flags, free, STOP_RUNNING);
      return { slot: Promise.resolve(free), cancel() {} };
    }
    let give: ((slot: number) => void) | undefined;
    const slot = new Promise<number>((resolve) => {
      give = (s) => {
        Atomics.store(this.flags, s, STOP_RUNNING);
        resolve(s);
      };
      this.#waiting.push(give);
    });
    return {
      slot,
      cancel: () => {
        const i = give ? this.#waiting.indexOf(give) : -1;
        if (i >= 0) this.#waiting.splice(i, 1);
      },
    };
  }

  /** Gives a slot back, to the longest waiter first. */
  release(slot: number): void {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else this.#free.push(slot);
  }
}
