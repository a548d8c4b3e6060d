/** The samples of one series, compressed: a list of sealed chunks (in memory or on disk) and one open chunk. */
import type { Arena } from './chunk/arena-table.js';
import { entryMaxt, entryMint, firstEntryAfter } from './chunk/chunk-entries.js';
import {
  BLOCK_COUNT_U32,
  BLOCK_FILE_U32,
  BLOCK_HEADER_BYTES,
  BLOCK_LENGTH_U32,
  BLOCK_POS_U32,
  chunkBoundary,
  ENTRY_BYTES,
  ENTRY_WHERE_U32,
  FIRST_OPEN_SLOT_BYTES,
  IN_MEMORY,
  MAX_CHUNK_SAMPLES,
  MAX_OPEN_SLOT_BYTES,
  NO_FILE,
  NO_LOC,
  OPEN_HEADER_BYTES,
  OPEN_T0_F64,
  RECORD_BYTES,
  RECORD_DAMAGED,
  RECORD_FLAGS_I32,
  RECORD_LIST_END_I32,
  RECORD_LIST_LOC_I32,
  RECORD_LIST_START_I32,
  RECORD_OPEN_COUNT_I32,
  RECORD_OPEN_LOC_I32,
  RECORD_SEQ_I32,
} from './chunk/chunk-layout.js';
import type { ChunkMemory } from './chunk/chunk-memory.js';
import { fromBits, highBits, lowBits } from './chunk/float-bits.js';
import { arenaOf, offsetOf } from './chunk/slot-pool.js';
import { XorDecoder } from './chunk/xor-decoder.js';
import { MAX_CHUNK_SPAN_MS, XorEncoder } from './chunk/xor-encoder.js';
import type { ChunkBits } from './chunk-walk.js';
import type { AppendResult } from './types.js';

/** One sample, as `lastSample` returns it. */
export interface Sample {
  readonly t: number;
  readonly v: number;
}

const found: ChunkBits = { u8: new Uint8Array(0), base: 0, count: 0, mint: 0 };
const lastDecoder = new XorDecoder();

/**
 * Append-only samples of one series. Entry `i` of the chunk list holds only times earlier than
 * entry `i + 1`, and the open chunk holds the newest. Entries before `firstInMemory` live only
 * in chunk files; the rest (and the open chunk) are in the arenas.
 *
 * The series is its open chunk's encoder (it extends `XorEncoder`; `count` is the open chunk's
 * sample count, 0 when there is none), so the append path touches one object, not two.
 *
 * Readers in other threads see the series through its record (`RECORD_*` of `chunk-layout.ts`),
 * which `publish` writes at each commit. Until then nothing they can reach changes: a slot or
 * block the series lets go of is retired (`ChunkMemory.retireSlot`), reused only once no reader
 * can still hold it; a moved list or open chunk goes to a new slot; and the one change made in
 * place, an entry whose chunk left memory for its disk copy, is made under the record's sequence
 * number.
 */
export class SeriesSamples extends XorEncoder {
  /** Time of the newest sealed sample, for a series with no open chunk. */
  private sealedLastT = Number.NEGATIVE_INFINITY;
  /** Samples in the chunk list (the open chunk not included). */
  sealedCount = 0;
  /** Samples of the chunk list whose chunks are in memory. */
  private memorySealed = 0;
  /** Set when a chunk of this series could not be read back: its samples there are gone. */
  damaged = false;
  private openLoc = NO_LOC;
  private openSize = 0;
  private openArena: Arena | null = null;
  /** When the open chunk must be cut, ms after its first sample. */
  private boundaryRel = 0;
  private listLoc = NO_LOC;
  private listSize = 0;
  private list: Arena | null = null;
  /** Byte offset of the list's slot in its arena. */
  private listBase = 0;
  listStart = 0;
  listEnd = 0;
  /** Entries before this one are on disk only. */
  private firstInMemory = 0;
  /** This series' record in the arenas, where readers find it; {@link NO_LOC} until attached. */
  recordLoc = NO_LOC;
  /** Set when the record's slots or list bounds must be written again at the next publish. */
  private moved = true;

  /** Samples held, sealed and open. */
  get held(): number {
    return this.sealedCount + this.count;
  }

  /** Samples whose chunks are in memory: the open chunk and sealed ones not yet evicted. */
  get memoryCount(): number {
    return this.memorySealed + this.count;
  }

  /** True when the series holds no sample. */
  get empty(): boolean {
    return this.count === 0 && this.listEnd === this.listStart;
  }

  /** Time of the newest sample; appends must be later. */
  get newestT(): number {
    return this.count === 0 ? this.sealedLastT : this.t0 + this.lastRel;
  }

  /** Stores `(t, v)` if `t` is later than every held sample. Throws on a non-integer `t`. */
  add(mem: ChunkMemory, ref: number, t: number, v: number): AppendResult {
    const hi = highBits(v);
    return this.addBits(mem, ref, t, hi, lowBits());
  }

  /**
   * {@link add} with the value given as its bits (see `float-bits.ts`): a replay hands them on
   * from the file without making a number of them, so no NaN payload can be lost on the way.
   */
  addBits(mem: ChunkMemory, ref: number, t: number, hi: number, lo: number): AppendResult {
    if (this.count > 0) {
      // The hot path: int32 offsets from the chunk's first time. `exact | 0` is `exact` only
      // for a whole number inside the chunk's span, which also refuses NaN and fractions.
      const exact = t - this.t0;
      const rel = exact | 0;
      if (
        rel === exact &&
        rel > this.lastRel &&
        rel < this.boundaryRel &&
        this.count < MAX_CHUNK_SAMPLES &&
        (this.hasRoom || this.grow(mem))
      ) {
        this.append(rel, hi, lo);
        return 'ok';
      }
    }
    return this.addSlow(mem, ref, t, hi, lo);
  }

  /** Everything but a sample that fits the open chunk: refusals, a first sample, a cut. */
  private addSlow(mem: ChunkMemory, ref: number, t: number, hi: number, lo: number): AppendResult {
    const last = this.newestT;
    if (!(t > last)) {
      if (t === last) return 'duplicate';
      if (!Number.isNaN(t)) return 'out-of-order';
    }
    if (!Number.isSafeInteger(t)) throw new RangeError(`timestamp ${t} is not an integer ms`);
    if (this.count > 0) this.seal(mem, ref);
    this.open(mem, t, hi, lo);
    return 'ok';
  }

  /** Starts a new open chunk with its first sample. */
  private open(mem: ChunkMemory, t: number, hi: number, lo: number): void {
    if (this.openLoc === NO_LOC) {
      if (this.openSize === 0) this.openSize = FIRST_OPEN_SLOT_BYTES;
      this.openLoc = mem.slots.alloc(this.openSize);
    }
    this.moved = true;
    const index = arenaOf(this.openLoc);
    const offset = offsetOf(this.openLoc);
    const arena = mem.table.arena(index);
    this.openArena = arena;
    arena.f64[(offset >>> 3) + OPEN_T0_F64] = t;
    this.begin(arena.u8, offset + OPEN_HEADER_BYTES, this.openSize - OPEN_HEADER_BYTES, t, hi, lo);
    this.boundaryRel = Math.min(chunkBoundary(t) - t, MAX_CHUNK_SPAN_MS);
  }

  /** Moves the open chunk to a slot twice the size; false when it is at the largest. */
  private grow(mem: ChunkMemory): boolean {
    if (this.openSize >= MAX_OPEN_SLOT_BYTES) return false;
    const size = this.openSize * 2;
    const loc = mem.slots.alloc(size);
    const index = arenaOf(loc);
    const offset = offsetOf(loc);
    const arena = mem.table.arena(index);
    const from = offsetOf(this.openLoc);
    arena.u8.set(
      this.openArena!.u8.subarray(from, from + OPEN_HEADER_BYTES + this.byteLength),
      offset,
    );
    mem.retireSlot(this.openLoc, this.openSize);
    this.openLoc = loc;
    this.openSize = size;
    this.openArena = arena;
    this.moved = true;
    this.moveTo(arena.u8, offset + OPEN_HEADER_BYTES, size - OPEN_HEADER_BYTES);
    return true;
  }

  /**
   * Copies the open chunk into a sealed block, hands it to the disk, lists it, and retires the
   * open slot (a reader may still decode it). The next chunk starts in a new slot the size this
   * one ended in.
   */
  private seal(mem: ChunkMemory, ref: number): void {
    const bytes = this.byteLength;
    const loc = mem.blocks.alloc(BLOCK_HEADER_BYTES + bytes);
    const index = arenaOf(loc);
    const offset = offsetOf(loc);
    const block = mem.table.arena(index);
    const from = offsetOf(this.openLoc);
    const u8 = this.openArena!.u8;
    block.u8.set(
      u8.subarray(from + OPEN_HEADER_BYTES, from + OPEN_HEADER_BYTES + bytes),
      offset + BLOCK_HEADER_BYTES,
    );
    const h = offset >>> 2;
    const mint = this.t0;
    const maxt = this.lastT;
    block.u32[h + BLOCK_COUNT_U32] = this.count;
    block.u32[h + BLOCK_LENGTH_U32] = bytes;
    block.u32[h + BLOCK_FILE_U32] = NO_FILE;
    this.persist(mem, ref, block, offset, mint, maxt);
    this.pushEntry(mem, mint, maxt, this.count, IN_MEMORY, loc);
    this.retireOpen(mem);
    this.sealedLastT = maxt;
  }

  /** Writes a sealed block to disk, if there is one, and notes where it went. */
  private persist(
    mem: ChunkMemory,
    ref: number,
    block: Arena,
    offset: number,
    mint: number,
    maxt: number,
  ): boolean {
    const disk = mem.disk;
    if (disk === null) return false;
    const h = offset >>> 2;
    const at = disk.write(
      ref,
      block.u8,
      offset + BLOCK_HEADER_BYTES,
      block.u32[h + BLOCK_LENGTH_U32],
      block.u32[h + BLOCK_COUNT_U32],
      mint,
      maxt,
    );
    if (at < 0) return false;
    block.u32[h + BLOCK_FILE_U32] = Math.floor(at / 2 ** 32);
    block.u32[h + BLOCK_POS_U32] = at % 2 ** 32;
    return true;
  }

  /**
   * Lists a sealed chunk read back from disk (replay, import): on disk only, or, with
   * `inMemory`, also copied into a block.
   */
  adoptSealed(
    mem: ChunkMemory,
    bits: Uint8Array,
    base: number,
    byteLength: number,
    count: number,
    mint: number,
    maxt: number,
    file: number,
    pos: number,
    inMemory: boolean,
  ): void {
    if (!inMemory) {
      this.pushEntry(mem, mint, maxt, count, file, pos);
      if (this.firstInMemory === this.listEnd - 1) this.firstInMemory = this.listEnd;
    } else {
      const loc = mem.blocks.alloc(BLOCK_HEADER_BYTES + byteLength);
      const index = arenaOf(loc);
      const offset = offsetOf(loc);
      const block = mem.table.arena(index);
      block.u8.set(bits.subarray(base, base + byteLength), offset + BLOCK_HEADER_BYTES);
      const h = offset >>> 2;
      block.u32[h + BLOCK_COUNT_U32] = count;
      block.u32[h + BLOCK_LENGTH_U32] = byteLength;
      block.u32[h + BLOCK_FILE_U32] = file;
      block.u32[h + BLOCK_POS_U32] = pos;
      this.pushEntry(mem, mint, maxt, count, IN_MEMORY, loc);
    }
    if (maxt > this.sealedLastT) this.sealedLastT = maxt;
  }

  private pushEntry(
    mem: ChunkMemory,
    mint: number,
    maxt: number,
    count: number,
    where: number,
    pos: number,
  ): void {
    if ((this.listEnd + 1) * ENTRY_BYTES > this.listSize) this.growList(mem);
    const list = this.list!;
    const e = this.listBase + this.listEnd * ENTRY_BYTES;
    list.f64[e >>> 3] = mint;
    list.f64[(e >>> 3) + 1] = maxt;
    list.u32[(e >>> 2) + 4] = ((count << 24) | where) >>> 0;
    list.u32[(e >>> 2) + 5] = pos;
    this.listEnd++;
    this.moved = true;
    this.sealedCount += count;
    if (where === IN_MEMORY) this.memorySealed += count;
  }

  /**
   * Makes room for one more entry: moves the live entries to the front of a new slot, of the
   * same size when they fill at most half of it, else twice the size. Never in place, since a
   * reader may be reading the old slot.
   */
  private growList(mem: ChunkMemory): void {
    const live = this.listEnd - this.listStart;
    const size =
      this.list !== null && (live + 1) * ENTRY_BYTES * 2 <= this.listSize
        ? this.listSize
        : Math.max(64, this.listSize * 2);
    const loc = mem.slots.alloc(size);
    const offset = offsetOf(loc);
    const list = mem.table.arena(arenaOf(loc));
    if (this.list !== null) {
      const from = this.listBase + this.listStart * ENTRY_BYTES;
      list.u8.set(this.list.u8.subarray(from, from + live * ENTRY_BYTES), offset);
      mem.retireSlot(this.listLoc, this.listSize);
    }
    this.listLoc = loc;
    this.listSize = size;
    this.list = list;
    this.listBase = offset;
    this.firstInMemory = Math.max(0, this.firstInMemory - this.listStart);
    this.listStart = 0;
    this.listEnd = live;
    this.moved = true;
  }

  /** Entry `i`'s first time. */
  entryMint(i: number): number {
    return entryMint(this.list!, this.listBase, i);
  }

  /** Entry `i`'s last time. */
  entryMaxt(i: number): number {
    return entryMaxt(this.list!, this.listBase, i);
  }

  private entryWhere(i: number): number {
    return this.list!.u32[((this.listBase + i * ENTRY_BYTES) >>> 2) + 4];
  }

  private entryPos(i: number): number {
    return this.list!.u32[((this.listBase + i * ENTRY_BYTES) >>> 2) + 5];
  }

  /** Samples entry `i` holds. */
  entryCount(i: number): number {
    return this.entryWhere(i) >>> 24;
  }

  /** The first entry whose last time is after `t`, or `listEnd`. */
  firstEntryAfter(t: number): number {
    if (this.list === null) return this.listEnd;
    return firstEntryAfter(this.list, this.listBase, this.listStart, this.listEnd, t);
  }

  /**
   * Finds entry `i`'s bits, reading them from disk if they left memory. Null when they cannot be
   * read; the series is then marked damaged and readers skip the chunk.
   */
  locate(mem: ChunkMemory, ref: number, i: number): ChunkBits | null {
    const where = this.entryWhere(i) & 0xffffff;
    const pos = this.entryPos(i);
    found.mint = this.entryMint(i);
    if (where === IN_MEMORY) {
      const index = arenaOf(pos);
      const offset = offsetOf(pos);
      const block = mem.table.arena(index);
      found.u8 = block.u8;
      found.base = offset + BLOCK_HEADER_BYTES;
      found.count = block.u32[(offset >>> 2) + BLOCK_COUNT_U32];
      return found;
    }
    const chunk = mem.disk?.read(where, pos, ref) ?? null;
    if (chunk === null) {
      this.damaged = true;
      return null;
    }
    found.u8 = chunk.u8;
    found.base = chunk.base;
    found.count = chunk.count;
    return found;
  }

  /** The open chunk's bits, or null without one. */
  locateOpen(): ChunkBits | null {
    if (this.count === 0) return null;
    found.u8 = this.u8;
    found.base = this.base;
    found.count = this.count;
    found.mint = this.t0;
    return found;
  }

  /** The newest sample, if any. */
  last(mem: ChunkMemory, ref: number): Sample | undefined {
    if (this.count > 0) return { t: this.lastT, v: fromBits(this.vHi, this.vLo) };
    for (let i = this.listEnd - 1; i >= this.listStart; i--) {
      const c = this.locate(mem, ref, i);
      if (c === null) continue;
      lastDecoder.reset(c.u8, c.base, c.count, c.mint);
      while (lastDecoder.next()) {
        // read to the end
      }
      return { t: lastDecoder.t, v: fromBits(lastDecoder.vHi, lastDecoder.vLo) };
    }
    return undefined;
  }

  /** True when the newest sample is the staleness marker, or there is none. */
  endsStale(mem: ChunkMemory, ref: number): boolean {
    if (this.count > 0) return this.vHi === 0x7ff00000 && this.vLo === 2;
    const last = this.last(mem, ref);
    if (last === undefined) return true;
    return highBits(last.v) === 0x7ff00000 && lowBits() === 2;
  }

  /** Time of the oldest sample held, if any (the first chunk's mint). */
  firstTime(): number | undefined {
    if (this.listEnd > this.listStart) return this.entryMint(this.listStart);
    return this.count > 0 ? this.t0 : undefined;
  }

  /** Drops whole chunks whose newest sample is before `cutoff`; answers the samples dropped. */
  truncateBefore(mem: ChunkMemory, cutoff: number): number {
    let dropped = 0;
    while (this.listStart < this.listEnd && this.entryMaxt(this.listStart) < cutoff) {
      dropped += this.dropFirst(mem);
    }
    if (this.count > 0 && this.listStart === this.listEnd && this.lastT < cutoff) {
      dropped += this.count;
      this.closeOpen(mem);
    }
    return dropped;
  }

  /**
   * Drops the chunks kept in files numbered below `firstFile` (deleted by retention), with any
   * copy in memory; answers the samples dropped.
   */
  dropFilesBefore(mem: ChunkMemory, firstFile: number): number {
    let dropped = 0;
    while (this.listStart < this.listEnd) {
      const where = this.entryWhere(this.listStart) & 0xffffff;
      let file = where;
      if (where === IN_MEMORY) {
        const where = this.entryPos(this.listStart);
        const index = arenaOf(where);
        const offset = offsetOf(where);
        file = mem.table.arena(index).u32[(offset >>> 2) + BLOCK_FILE_U32];
        if (file === NO_FILE) break;
      }
      if (file >= firstFile) break;
      dropped += this.dropFirst(mem);
    }
    return dropped;
  }

  /**
   * Lets go of the memory copies of chunks whose newest sample is before `cutoff` once they are
   * on disk; a chunk the disk refused before is offered again first. The entries change in
   * place, under the record's sequence number, so a reader reads an entry whole or reads it again.
   */
  evictBefore(mem: ChunkMemory, ref: number, cutoff: number): void {
    let i = Math.max(this.firstInMemory, this.listStart);
    if (i >= this.listEnd || !(this.entryMaxt(i) < cutoff)) return;
    this.changeInPlace(mem, 1);
    try {
      for (; i < this.listEnd && this.entryMaxt(i) < cutoff; i++) {
        if (!this.evictEntry(mem, ref, i)) break;
      }
    } finally {
      this.changeInPlace(mem, 1);
    }
    this.firstInMemory = i;
  }

  /** Points entry `i` at its chunk's disk copy and retires the memory copy; false if it has none. */
  private evictEntry(mem: ChunkMemory, ref: number, i: number): boolean {
    const w = ((this.listBase + i * ENTRY_BYTES) >>> 2) + ENTRY_WHERE_U32;
    const list = this.list!;
    if ((list.u32[w] & 0xffffff) !== IN_MEMORY) return true;
    const loc = list.u32[w + 1];
    const offset = offsetOf(loc);
    const block = mem.table.arena(arenaOf(loc));
    const h = offset >>> 2;
    if (
      block.u32[h + BLOCK_FILE_U32] === NO_FILE &&
      !this.persist(mem, ref, block, offset, this.entryMint(i), this.entryMaxt(i))
    ) {
      return false;
    }
    const count = list.u32[w] >>> 24;
    Atomics.store(list.i32, w, ((count << 24) | block.u32[h + BLOCK_FILE_U32]) >>> 0);
    Atomics.store(list.i32, w + 1, block.u32[h + BLOCK_POS_U32]);
    this.memorySealed -= count;
    mem.retireBlock(loc);
    return true;
  }

  /** Bumps the record's sequence number: odd while an entry changes in place, even after. */
  private changeInPlace(mem: ChunkMemory, by: number): void {
    const loc = this.recordLoc;
    if (loc === NO_LOC) return;
    Atomics.add(mem.table.arena(arenaOf(loc)).i32, (offsetOf(loc) >>> 2) + RECORD_SEQ_I32, by);
  }

  /**
   * Forgets that the memory copy of a chunk is on disk at `file`/`pos` (its write failed after
   * all), so eviction offers it to the disk again instead of dropping it.
   */
  forgetDiskCopy(mem: ChunkMemory, file: number, pos: number): void {
    for (let i = this.listEnd - 1; i >= this.listStart; i--) {
      if ((this.entryWhere(i) & 0xffffff) !== IN_MEMORY) continue;
      const where = this.entryPos(i);
      const index = arenaOf(where);
      const offset = offsetOf(where);
      const block = mem.table.arena(index);
      const h = offset >>> 2;
      if (block.u32[h + BLOCK_FILE_U32] === file && block.u32[h + BLOCK_POS_U32] === pos) {
        block.u32[h + BLOCK_FILE_U32] = NO_FILE;
        return;
      }
    }
  }

  /** Retires every chunk, the list and the record: the series is gone. */
  clear(mem: ChunkMemory): void {
    while (this.listStart < this.listEnd) this.dropFirst(mem);
    if (this.count > 0) this.retireOpen(mem);
    if (this.listLoc !== NO_LOC) mem.retireSlot(this.listLoc, this.listSize);
    this.listLoc = NO_LOC;
    this.list = null;
    this.listSize = 0;
    this.listStart = 0;
    this.listEnd = 0;
    this.firstInMemory = 0;
    if (this.recordLoc !== NO_LOC) mem.retireRecord(this.recordLoc);
    this.recordLoc = NO_LOC;
  }

  /** Gives the series its record (the head does, as it creates the series): no chunks yet. */
  attachRecord(mem: ChunkMemory): void {
    const loc = mem.records.alloc(RECORD_BYTES);
    const rec = mem.table.arena(arenaOf(loc)).i32;
    const r = offsetOf(loc) >>> 2;
    rec[r + RECORD_OPEN_LOC_I32] = NO_LOC;
    rec[r + RECORD_LIST_LOC_I32] = NO_LOC;
    this.recordLoc = loc;
    this.moved = true;
  }

  /**
   * Writes into the record what readers may now see: the open chunk's sample count and, when
   * they moved since, where the open chunk and the list are. Called at each commit, so a reader
   * sees whole scrapes.
   */
  publish(mem: ChunkMemory): void {
    const loc = this.recordLoc;
    if (loc === NO_LOC) return;
    const rec = mem.table.arena(arenaOf(loc)).i32;
    const r = offsetOf(loc) >>> 2;
    if (!this.moved) {
      Atomics.store(rec, r + RECORD_OPEN_COUNT_I32, this.count);
      return;
    }
    this.moved = false;
    Atomics.add(rec, r + RECORD_SEQ_I32, 1);
    Atomics.store(rec, r + RECORD_OPEN_LOC_I32, this.count > 0 ? this.openLoc : NO_LOC);
    Atomics.store(rec, r + RECORD_OPEN_COUNT_I32, this.count);
    Atomics.store(rec, r + RECORD_LIST_LOC_I32, this.list === null ? NO_LOC : this.listLoc);
    Atomics.store(rec, r + RECORD_LIST_START_I32, this.listStart);
    Atomics.store(rec, r + RECORD_LIST_END_I32, this.listEnd);
    Atomics.add(rec, r + RECORD_SEQ_I32, 1);
  }

  /** True when a reader in another thread found a chunk of this series damaged. */
  damagedByReader(mem: ChunkMemory): boolean {
    const loc = this.recordLoc;
    if (loc === NO_LOC) return false;
    const flags = Atomics.load(
      mem.table.arena(arenaOf(loc)).i32,
      (offsetOf(loc) >>> 2) + RECORD_FLAGS_I32,
    );
    return (flags & RECORD_DAMAGED) !== 0;
  }

  /** Chunks in the list, memory copies included. */
  get chunkCount(): number {
    return this.listEnd - this.listStart + (this.count === 0 ? 0 : 1);
  }

  /** Bytes of the sealed chunks this series has in memory, headers included. */
  memoryChunkBytes(mem: ChunkMemory): number {
    let bytes = 0;
    for (let i = Math.max(this.firstInMemory, this.listStart); i < this.listEnd; i++) {
      if ((this.entryWhere(i) & 0xffffff) !== IN_MEMORY) continue;
      const where = this.entryPos(i);
      const index = arenaOf(where);
      const offset = offsetOf(where);
      bytes += BLOCK_HEADER_BYTES + mem.table.arena(index).u32[(offset >>> 2) + BLOCK_LENGTH_U32];
    }
    return bytes;
  }

  private dropFirst(mem: ChunkMemory): number {
    const i = this.listStart;
    const where = this.entryWhere(i);
    const count = where >>> 24;
    if ((where & 0xffffff) === IN_MEMORY) {
      mem.retireBlock(this.entryPos(i));
      this.memorySealed -= count;
    }
    this.listStart++;
    this.moved = true;
    if (this.firstInMemory < this.listStart) this.firstInMemory = this.listStart;
    this.sealedCount -= count;
    return count;
  }

  private closeOpen(mem: ChunkMemory): void {
    this.sealedLastT = this.lastT;
    this.retireOpen(mem);
  }

  /** Lets go of the open chunk: its slot is retired, since a reader may still be decoding it. */
  private retireOpen(mem: ChunkMemory): void {
    mem.retireSlot(this.openLoc, this.openSize);
    this.openLoc = NO_LOC;
    this.openArena = null;
    this.count = 0;
    this.moved = true;
  }
}
