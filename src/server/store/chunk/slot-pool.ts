/** Zeroed, power-of-two sized slots in the arenas: open chunks and chunk lists grow through them. */
import { ARENA_BYTES, type ArenaTable } from './arena-table.js';

/** The smallest slot, bytes. */
export const MIN_SLOT_BYTES = 64;
/** The largest slot, bytes: half an arena, so an arena holds at least two. */
export const MAX_SLOT_BYTES = ARENA_BYTES >>> 1;

interface SlotArena {
  readonly index: number;
  readonly size: number;
  /** Next never-used offset: bytes past it are still zero and untouched. */
  bump: number;
  /** Offsets given back, reused first. */
  readonly free: number[];
  used: number;
  listed: boolean;
}

interface SizeClass {
  readonly arenas: Set<SlotArena>;
  /** Arenas that had room when listed; full ones are dropped from the top lazily. */
  readonly room: SlotArena[];
}

/** The slot size that holds `bytes`: a power of two from {@link MIN_SLOT_BYTES}. */
export function slotSize(bytes: number): number {
  if (bytes <= MIN_SLOT_BYTES) return MIN_SLOT_BYTES;
  if (bytes > MAX_SLOT_BYTES) throw new RangeError(`no slot holds ${bytes} bytes`);
  return 2 ** Math.ceil(Math.log2(bytes));
}

/**
 * Slots of one size per arena, handed out zeroed: from a free list, else from untouched space.
 * An arena emptied of slots goes back to the table unless it is its size's only one.
 *
 * @example
 * ```ts
 * const pool = new SlotPool(table);
 * const loc = pool.alloc(200); // a 256-byte slot
 * pool.free(loc, 256);
 * ```
 */
export class SlotPool {
  private readonly classes = new Map<number, SizeClass>();
  private readonly byArena: (SlotArena | undefined)[] = [];
  private touched = 0;
  private inUse = 0;

  constructor(private readonly table: ArenaTable) {}

  /** A zeroed slot of `slotSize(bytes)` bytes; answers its location. */
  alloc(bytes: number): number {
    const size = slotSize(bytes);
    let sc = this.classes.get(size);
    if (sc === undefined) {
      sc = { arenas: new Set(), room: [] };
      this.classes.set(size, sc);
    }
    let a: SlotArena | undefined;
    while (sc.room.length > 0) {
      const top = sc.room[sc.room.length - 1];
      if (top.free.length > 0 || top.bump + size <= ARENA_BYTES) {
        a = top;
        break;
      }
      sc.room.pop();
      top.listed = false;
    }
    if (a === undefined) {
      const index = this.table.add();
      a = { index, size, bump: 0, free: [], used: 0, listed: true };
      this.byArena[index] = a;
      sc.arenas.add(a);
      sc.room.push(a);
    }
    a.used++;
    this.inUse++;
    let offset = a.free.pop();
    if (offset === undefined) {
      offset = a.bump;
      a.bump += size;
      this.touched += size;
    }
    return a.index * ARENA_BYTES + offset;
  }

  /** Zeroes a slot and takes it back. `size` is the slot's size. */
  free(loc: number, size: number): void {
    const index = Math.floor(loc / ARENA_BYTES);
    const offset = loc - index * ARENA_BYTES;
    const a = this.byArena[index]!;
    this.table.arena(index).u8.fill(0, offset, offset + size);
    a.used--;
    this.inUse--;
    const sc = this.classes.get(a.size)!;
    if (a.used === 0 && sc.arenas.size > 1) {
      sc.arenas.delete(a);
      if (a.listed) sc.room.splice(sc.room.lastIndexOf(a), 1);
      this.byArena[index] = undefined;
      this.touched -= a.bump;
      this.table.drop(index);
      return;
    }
    a.free.push(offset);
    if (!a.listed) {
      a.listed = true;
      sc.room.push(a);
    }
  }

  /** Slots handed out and not yet freed. */
  get slotsInUse(): number {
    return this.inUse;
  }

  /** Bytes of arena space ever handed out and still held (what the process has touched). */
  bytes(): number {
    return this.touched;
  }
}

/** The arena index of a location. */
export function arenaOf(loc: number): number {
  return Math.floor(loc / ARENA_BYTES);
}

/** The byte offset of a location inside its arena. */
export function offsetOf(loc: number): number {
  return loc % ARENA_BYTES;
}
