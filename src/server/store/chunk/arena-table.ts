/** The head's sample memory: fixed-size SharedArrayBuffer arenas, each byte named by one number. */

/** log2 of an arena's size. */
export const ARENA_SHIFT = 21;
/** Bytes in one arena: 2 MiB. */
export const ARENA_BYTES = 1 << ARENA_SHIFT;
/**
 * Most arenas at once: 4 GiB of chunk memory, so every location fits 32 bits. Far above what a
 * head of 500 000 series holds (its memory window is ~2 bytes a sample).
 */
export const MAX_ARENAS = 2048;

/** One arena's buffer and the views every reader uses. */
export interface Arena {
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

/** The views every reader of an arena uses: the writer's own, and a reader's over the buffer it was sent. */
export function arenaViews(buffer: SharedArrayBuffer): Arena {
  return {
    buffer,
    u8: new Uint8Array(buffer),
    u16: new Uint16Array(buffer),
    u32: new Uint32Array(buffer),
    i32: new Int32Array(buffer),
    f64: new Float64Array(buffer),
  };
}

/** Thrown when sample memory would pass {@link MAX_ARENAS}. */
export class ArenaLimitError extends RangeError {
  override readonly name = 'ArenaLimitError';
}

/**
 * Arenas by index. A location is `index * ARENA_BYTES + byteOffset`: one number a chunk list
 * can store, and that another thread holding the same buffers can read without a lookup.
 * Buffers are `SharedArrayBuffer`s: query workers get each one by message (see `share/`) and
 * read chunks in place.
 *
 * @example
 * ```ts
 * const table = new ArenaTable();
 * const index = table.add();
 * table.arena(index).u8[0] = 1;
 * ```
 */
export class ArenaTable {
  private readonly arenas: (Arena | undefined)[] = [];
  private readonly spare: number[] = [];
  private live = 0;
  /** Told of each new arena and each dropped one, e.g. to pass them on to readers. */
  listener: { added(index: number, arena: Arena): void; dropped(index: number): void } | null =
    null;

  /** Makes a zeroed arena and answers its index. */
  add(): number {
    if (this.live >= MAX_ARENAS) {
      throw new ArenaLimitError(`sample memory is full: ${MAX_ARENAS} arenas of 2 MiB in use`);
    }
    const arena = arenaViews(new SharedArrayBuffer(ARENA_BYTES));
    const index = this.spare.pop() ?? this.arenas.length;
    this.arenas[index] = arena;
    this.live++;
    this.listener?.added(index, arena);
    return index;
  }

  /** Lets go of an arena; its index may be handed out again. */
  drop(index: number): void {
    if (this.arenas[index] === undefined) return;
    this.arenas[index] = undefined;
    this.spare.push(index);
    this.live--;
    this.listener?.dropped(index);
  }

  /** Every live arena with its index. */
  *entries(): IterableIterator<[number, Arena]> {
    for (let i = 0; i < this.arenas.length; i++) {
      const arena = this.arenas[i];
      if (arena !== undefined) yield [i, arena];
    }
  }

  /** The arena at `index`; it must be live. */
  arena(index: number): Arena {
    return this.arenas[index]!;
  }

  /** Arenas live now. */
  get size(): number {
    return this.live;
  }
}
