/** What every series' samples share: the arenas, their two allocators, and the disk behind them. */
import { ArenaTable } from './arena-table.js';
import { SealedBlocks } from './sealed-blocks.js';
import { SlotPool } from './slot-pool.js';

/** A chunk read back from disk; valid until the next read. */
export interface DiskChunk {
  readonly u8: Uint8Array;
  /** Where its bits start in `u8`. */
  readonly base: number;
  readonly count: number;
}

/** Where sealed chunks go to be kept, and come back from once they left memory. */
export interface ChunkDisk {
  /**
   * Writes one sealed chunk of series `ref`; answers `file * 2^32 + position`, or -1 when it
   * could not be written (the chunk then stays in memory).
   */
  write(
    ref: number,
    u8: Uint8Array,
    base: number,
    byteLength: number,
    count: number,
    mint: number,
    maxt: number,
  ): number;
  /** Reads a chunk back; null when it is gone or fails its checksum (the reason is logged once). */
  read(file: number, pos: number, ref: number): DiskChunk | null;
}

/**
 * The shared memory of one head, and where full chunks go. Without a disk, sealed chunks live
 * in memory until retention drops them.
 *
 * @example
 * ```ts
 * const memory = new ChunkMemory();
 * const loc = memory.slots.alloc(64);
 * memory.table.arena(Math.floor(loc / ARENA_BYTES)).u8; // the bytes
 * ```
 */
export class ChunkMemory {
  readonly table = new ArenaTable();
  readonly slots = new SlotPool(this.table);
  readonly blocks = new SealedBlocks(this.table);
  /** Set by a durable store; null keeps everything in memory. */
  disk: ChunkDisk | null = null;

  /** Bytes of arena memory in use: open chunks, chunk lists and sealed chunks. */
  bytes(): number {
    return this.slots.bytes() + this.blocks.bytes();
  }
}
