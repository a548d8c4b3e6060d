/** Hands out fixed-size sample blocks from large shared buffers, so a chunk owns no ArrayBuffer of its own. */

/**
 * Block capacities in samples. A new series' head chunk starts small and grows through them;
 * a full chunk always has the last. Every ArrayBuffer costs ~450 bytes besides its data in
 * V8, which would be ~4 bytes per sample for a 120-sample chunk; pooling blocks removes it.
 */
export const BLOCK_CAPACITIES: readonly number[] = [16, 32, 64, 128, 240];

/** The largest block, in samples: a chunk is sealed once it holds this many. */
export const MAX_BLOCK_CAPACITY = 240;

/** Bytes one sample takes in a block: a Float64 value and a Uint32 time delta. */
export const BYTES_PER_SLOT = 12;

/** About this many bytes per slab; large enough to amortise the buffer, small enough to free. */
const TARGET_SLAB_BYTES = 64 * 1024;

/** Native and JS overhead of one slab: ArrayBuffer, backing store, three views, free stack. */
export const SLAB_OVERHEAD_BYTES = 700;

/**
 * Blocks of one capacity inside one ArrayBuffer. A block is `[capacity values][capacity
 * deltas]`: the value column at `valueOffset(block)` of `f64`, the deltas at
 * `timeOffset(block)` of `u32`. Capacities are even, so every value column is 8-byte aligned.
 */
export class Slab {
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly blocks: number;
  used = 0;
  /** Set when the pool let go of this slab; it is never handed out again. */
  retired = false;
  /** True while the slab sits in its class's `room` list, so it is never listed twice. */
  listed = false;
  private readonly free: Int32Array;
  private freeTop: number;

  constructor(readonly capacity: number) {
    this.blocks = Math.max(1, Math.floor(TARGET_SLAB_BYTES / (capacity * BYTES_PER_SLOT)));
    const buffer = new ArrayBuffer(this.blocks * capacity * BYTES_PER_SLOT);
    this.f64 = new Float64Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.free = new Int32Array(this.blocks);
    // Hand out low blocks first, so a half-used slab keeps its data together.
    for (let i = 0; i < this.blocks; i++) this.free[i] = this.blocks - 1 - i;
    this.freeTop = this.blocks;
  }

  get hasRoom(): boolean {
    return this.freeTop > 0;
  }

  get byteLength(): number {
    return this.f64.byteLength;
  }

  valueOffset(block: number): number {
    return block * this.capacity * 1.5;
  }

  timeOffset(block: number): number {
    return block * this.capacity * 3 + this.capacity * 2;
  }

  /** Takes a free block; the caller has checked `hasRoom`. */
  take(): number {
    this.used++;
    return this.free[--this.freeTop];
  }

  give(block: number): void {
    this.used--;
    this.free[this.freeTop++] = block;
  }
}

interface SizeClass {
  /** Every live slab of this capacity. */
  readonly slabs: Set<Slab>;
  /** Slabs that had room when listed; ones that filled up since are dropped lazily from the top. */
  readonly room: Slab[];
}

/**
 * The store's block allocator: one size class per capacity in `BLOCK_CAPACITIES`.
 *
 * @example
 * const pool = new SlabPool();
 * const slab = pool.slabFor(16);
 * const block = slab.take();
 * slab.f64[slab.valueOffset(block)] = 1.5;
 * pool.release(slab, block);
 */
export class SlabPool {
  private readonly classes = new Map<number, SizeClass>();

  /** A slab of `capacity` with at least one free block. */
  slabFor(capacity: number): Slab {
    let sc = this.classes.get(capacity);
    if (sc === undefined) {
      sc = { slabs: new Set(), room: [] };
      this.classes.set(capacity, sc);
    }
    const room = sc.room;
    while (room.length > 0) {
      const top = room[room.length - 1];
      if (top.hasRoom) return top;
      room.pop();
      top.listed = false;
    }
    const slab = new Slab(capacity);
    sc.slabs.add(slab);
    slab.listed = true;
    room.push(slab);
    return slab;
  }

  /** Returns a block; an emptied slab is dropped unless it is its class's only one. */
  release(slab: Slab, block: number): void {
    slab.give(block);
    const sc = this.classes.get(slab.capacity)!;
    if (slab.used === 0 && sc.slabs.size > 1) {
      slab.retired = true;
      sc.slabs.delete(slab);
      // Unlist it now: deep in the list it would never reach the top, and its buffer would leak.
      if (slab.listed) {
        sc.room.splice(sc.room.lastIndexOf(slab), 1);
        slab.listed = false;
      }
    } else if (!slab.listed) {
      slab.listed = true;
      sc.room.push(slab);
    }
  }

  /** Bytes held by every slab, data and overhead, used or free. */
  bytes(): number {
    let total = 0;
    for (const sc of this.classes.values()) {
      for (const slab of sc.slabs) total += slab.byteLength + SLAB_OVERHEAD_BYTES;
    }
    return total;
  }

  slabCount(): number {
    let n = 0;
    for (const sc of this.classes.values()) n += sc.slabs.size;
    return n;
  }
}
