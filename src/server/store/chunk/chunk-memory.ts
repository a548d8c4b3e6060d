/** What every series' samples share: the arenas, their allocators, the disk behind them, and what readers may still hold. */
import type { HeadShare } from '../share/head-share.js';
import {
  RETIRED_BLOCK,
  RETIRED_RECORD,
  RETIRED_SLOT,
  RetiredMemory,
} from '../share/retired-memory.js';
import { ArenaTable } from './arena-table.js';
import { RECORD_BYTES } from './chunk-layout.js';
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
 * in memory until retention drops them. With a `share`, memory a series lets go of is retired
 * rather than freed, and reused only once no reader in another thread can still read it.
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
  /** Each series' record, what readers know of it (see `RECORD_*`); apart, so chunk bytes exclude them. */
  readonly records = new SlotPool(this.table);
  /** Set by a durable store; null keeps everything in memory. */
  disk: ChunkDisk | null = null;
  /** The epochs of readers in other threads; null when there are none to wait for. */
  share: HeadShare | null = null;
  private readonly retired = new RetiredMemory();

  /** Bytes of arena memory in use: open chunks, chunk lists and sealed chunks. */
  bytes(): number {
    return this.slots.bytes() + this.blocks.bytes();
  }

  /** Gives back a slot of `size` bytes: at once, or after the readers that may hold it. */
  retireSlot(loc: number, size: number): void {
    if (this.share === null) this.slots.free(loc, size);
    else this.retired.retire(RETIRED_SLOT, loc, size);
  }

  /** Gives back a sealed chunk's block. */
  retireBlock(loc: number): void {
    if (this.share === null) this.blocks.release(loc);
    else this.retired.retire(RETIRED_BLOCK, loc, 0);
  }

  /** Gives back a series' record. */
  retireRecord(loc: number): void {
    if (this.share === null) this.records.free(loc, RECORD_BYTES);
    else this.retired.retire(RETIRED_RECORD, loc, RECORD_BYTES);
  }

  /**
   * After the records are published: moves the epoch on, and reuses what was retired before
   * every reader's pin.
   */
  advance(): void {
    const share = this.share;
    if (share === null) return;
    this.retired.seal(share.epoch);
    share.advance();
    this.retired.reclaim(share.oldestPin(), (kind, loc, size) => {
      if (kind === RETIRED_SLOT) this.slots.free(loc, size);
      else if (kind === RETIRED_BLOCK) this.blocks.release(loc);
      else this.records.free(loc, size);
    });
  }

  /** Locations retired and still waiting for readers. */
  get retiredCount(): number {
    return this.retired.size;
  }
}
