/** One series' chunks as a reader walks them, wherever they are read from; and the window read over such a walk. */
import { decodeWindow } from './chunk/xor-decoder.js';
import type { SampleRun } from './types.js';

const EMPTY = new Float64Array(0);

/** The run with no samples; shared, since nobody can write into a zero-length array. */
export const EMPTY_RUN: SampleRun = { t: EMPTY, v: EMPTY, length: 0 };

/** Where a chunk's bits are; implementations reuse one object, valid until the next `locate`. */
export interface ChunkBits {
  u8: Uint8Array;
  base: number;
  count: number;
  mint: number;
}

/**
 * A series' sealed chunks, entries `[listStart, listEnd)` in time order, then its open chunk.
 * The writer walks its own series (`SeriesChunks`); a query worker walks a record it reads
 * from shared memory (`SharedSeries`).
 */
export interface ChunkWalk {
  readonly listStart: number;
  readonly listEnd: number;
  /** Time of the newest sample; `Infinity` when it cannot be known without decoding. */
  readonly newestT: number;
  firstEntryAfter(t: number): number;
  entryMint(i: number): number;
  entryMaxt(i: number): number;
  entryCount(i: number): number;
  /** Entry `i`'s bits; null when they cannot be read (the chunk is then skipped). */
  locate(i: number): ChunkBits | null;
  /** The open chunk's bits; null without one. */
  locateOpen(): ChunkBits | null;
}

/**
 * Samples with `mint < t <= maxt`, decoded into fresh arrays sized for the chunks that can
 * hold them.
 *
 * @example
 * ```ts
 * const run = readRange(walk, Date.now() - 300_000, Date.now());
 * for (let i = 0; i < run.length; i++) use(run.t[i], run.v[i]);
 * ```
 */
export function readRange(walk: ChunkWalk, mint: number, maxt: number): SampleRun {
  if (!(mint < maxt) || walk.newestT <= mint) return EMPTY_RUN;
  const first = walk.firstEntryAfter(mint);
  let last = first;
  let bound = 0;
  while (last < walk.listEnd && walk.entryMint(last) <= maxt) bound += walk.entryCount(last++);
  // Copied out: `locate` below reuses the object.
  const open = walk.locateOpen();
  const openU8 = open?.u8;
  const openBase = open?.base ?? 0;
  const openCount = open !== null && open.mint <= maxt ? open.count : 0;
  const openMint = open?.mint ?? 0;
  bound += openCount;
  if (bound === 0) return EMPTY_RUN;
  const t = new Float64Array(bound);
  const v = new Float64Array(bound);
  const v32 = new Uint32Array(v.buffer);
  let n = 0;
  for (let i = first; i < last; i++) {
    const c = walk.locate(i);
    if (c !== null) n += decodeWindow(c.u8, c.base, c.count, c.mint, mint, maxt, t, v32, n);
  }
  if (openCount > 0 && openU8 !== undefined) {
    n += decodeWindow(openU8, openBase, openCount, openMint, mint, maxt, t, v32, n);
  }
  if (n === 0) return EMPTY_RUN;
  return n === bound
    ? { t, v, length: n }
    : { t: t.subarray(0, n), v: v.subarray(0, n), length: n };
}
