/** One series as a reader in another thread sees it: its record, read whole, and its chunks where the record points. */
import type { Arena } from '../chunk/arena-table.js';
import { entryMaxt, entryMint, firstEntryAfter } from '../chunk/chunk-entries.js';
import {
  BLOCK_COUNT_U32,
  BLOCK_HEADER_BYTES,
  ENTRY_BYTES,
  ENTRY_WHERE_U32,
  IN_MEMORY,
  NO_LOC,
  OPEN_HEADER_BYTES,
  OPEN_T0_F64,
  RECORD_DAMAGED,
  RECORD_FLAGS_I32,
  RECORD_LIST_END_I32,
  RECORD_LIST_LOC_I32,
  RECORD_LIST_START_I32,
  RECORD_OPEN_COUNT_I32,
  RECORD_OPEN_LOC_I32,
  RECORD_SEQ_I32,
} from '../chunk/chunk-layout.js';
import type { DiskChunk } from '../chunk/chunk-memory.js';
import { arenaOf, offsetOf } from '../chunk/slot-pool.js';
import type { ChunkBits, ChunkWalk } from '../chunk-walk.js';
import type { ChunkReadFailure } from '../disk/chunk-file-reader.js';

/** What a series read needs of the reader: arenas by index, and chunks from the files. */
export interface SharedMemory {
  arena(index: number): Arena;
  readChunk(file: number, pos: number, ref: number): DiskChunk | ChunkReadFailure;
}

/**
 * How many times a reader reads a record again while the writer changes it. A writer holds it
 * for a few stores; only a writer that died in the middle holds it longer.
 */
const MAX_RETRIES = 1_000_000;

/**
 * A series' record as one consistent snapshot, and its chunks. The snapshot is taken once (the
 * record's sequence number is the same before and after, and even); an entry is read again
 * under the sequence number, since eviction changes entries in place. What the snapshot points
 * to stays as it is while the reader holds its epoch.
 *
 * @example
 * ```ts
 * const walk = new SharedSeries(memory, ref, recordLoc);
 * const run = readRange(walk, mint, maxt);
 * ```
 */
export class SharedSeries implements ChunkWalk {
  listStart = 0;
  listEnd = 0;
  newestT = Number.NEGATIVE_INFINITY;
  private readonly rec: Int32Array;
  private readonly r: number;
  private list: Arena | null = null;
  private listBase = 0;
  private openCount = 0;
  private openArena: Arena | null = null;
  private openBase = 0;
  private readonly found: ChunkBits = { u8: new Uint8Array(0), base: 0, count: 0, mint: 0 };

  constructor(
    private readonly mem: SharedMemory,
    private readonly ref: number,
    recordLoc: number,
  ) {
    this.rec = mem.arena(arenaOf(recordLoc)).i32;
    this.r = offsetOf(recordLoc) >>> 2;
    this.load();
  }

  private load(): void {
    const { rec, r } = this;
    let openLoc = NO_LOC;
    let listLoc = NO_LOC;
    for (let tries = 0; ; tries++) {
      if (tries > MAX_RETRIES) throw new Error(`series ${this.ref}: its record never settles`);
      const seq = Atomics.load(rec, r + RECORD_SEQ_I32);
      if ((seq & 1) !== 0) continue;
      openLoc = Atomics.load(rec, r + RECORD_OPEN_LOC_I32);
      this.openCount = Atomics.load(rec, r + RECORD_OPEN_COUNT_I32);
      listLoc = Atomics.load(rec, r + RECORD_LIST_LOC_I32);
      this.listStart = Atomics.load(rec, r + RECORD_LIST_START_I32);
      this.listEnd = Atomics.load(rec, r + RECORD_LIST_END_I32);
      if (Atomics.load(rec, r + RECORD_SEQ_I32) === seq) break;
    }
    if (listLoc !== NO_LOC) {
      this.list = this.mem.arena(arenaOf(listLoc >>> 0));
      this.listBase = offsetOf(listLoc >>> 0);
    } else {
      this.listEnd = this.listStart;
    }
    if (openLoc !== NO_LOC && this.openCount > 0) {
      this.openArena = this.mem.arena(arenaOf(openLoc >>> 0));
      this.openBase = offsetOf(openLoc >>> 0);
      this.newestT = Number.POSITIVE_INFINITY;
    } else {
      this.openCount = 0;
      if (this.listEnd > this.listStart) this.newestT = this.entryMaxt(this.listEnd - 1);
    }
  }

  firstEntryAfter(t: number): number {
    if (this.list === null) return this.listEnd;
    return firstEntryAfter(this.list, this.listBase, this.listStart, this.listEnd, t);
  }

  entryMint(i: number): number {
    return entryMint(this.list!, this.listBase, i);
  }

  entryMaxt(i: number): number {
    return entryMaxt(this.list!, this.listBase, i);
  }

  entryCount(i: number): number {
    return this.list!.u32[((this.listBase + i * ENTRY_BYTES) >>> 2) + ENTRY_WHERE_U32] >>> 24;
  }

  locate(i: number): ChunkBits | null {
    const { rec, r } = this;
    const w = ((this.listBase + i * ENTRY_BYTES) >>> 2) + ENTRY_WHERE_U32;
    const list = this.list!.i32;
    let where = 0;
    let pos = 0;
    for (let tries = 0; ; tries++) {
      if (tries > MAX_RETRIES) throw new Error(`series ${this.ref}: its record never settles`);
      const seq = Atomics.load(rec, r + RECORD_SEQ_I32);
      if ((seq & 1) !== 0) continue;
      where = Atomics.load(list, w) & 0xffffff;
      pos = Atomics.load(list, w + 1) >>> 0;
      if (Atomics.load(rec, r + RECORD_SEQ_I32) === seq) break;
    }
    const found = this.found;
    found.mint = this.entryMint(i);
    if (where === IN_MEMORY) {
      const block = this.mem.arena(arenaOf(pos));
      const offset = offsetOf(pos);
      found.u8 = block.u8;
      found.base = offset + BLOCK_HEADER_BYTES;
      found.count = block.u32[(offset >>> 2) + BLOCK_COUNT_U32];
      return found;
    }
    const chunk = this.mem.readChunk(where, pos, this.ref);
    if (chunk === 'damaged') Atomics.or(rec, r + RECORD_FLAGS_I32, RECORD_DAMAGED);
    if (typeof chunk === 'string') return null;
    found.u8 = chunk.u8;
    found.base = chunk.base;
    found.count = chunk.count;
    return found;
  }

  locateOpen(): ChunkBits | null {
    const arena = this.openArena;
    if (arena === null) return null;
    const found = this.found;
    found.u8 = arena.u8;
    found.base = this.openBase + OPEN_HEADER_BYTES;
    found.count = this.openCount;
    found.mint = arena.f64[(this.openBase >>> 3) + OPEN_T0_F64];
    return found;
  }
}
