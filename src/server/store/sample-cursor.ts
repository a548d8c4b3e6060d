/** Walks one series' chunks in time order, decoding only those a reader reaches. */
import { MAX_CHUNK_SAMPLES } from './chunk/chunk-layout.js';
import { decodeWindow } from './chunk/xor-decoder.js';
import type { ChunkWalk } from './chunk-walk.js';
import type { SampleCursor } from './types.js';

/**
 * A cursor over one series within `(mint, maxt]`. Its columns are reused from chunk to chunk:
 * a reader copies out what it keeps.
 *
 * @example
 * ```ts
 * const c = new SeriesCursor(walk, mint, maxt);
 * while (c.next()) for (let i = 0; i < c.length; i++) use(c.t[i], c.v[i]);
 * ```
 */
export class SeriesCursor implements SampleCursor {
  readonly t = new Float64Array(MAX_CHUNK_SAMPLES);
  readonly v = new Float64Array(MAX_CHUNK_SAMPLES);
  length = 0;
  private readonly v32 = new Uint32Array(this.v.buffer);
  /** The next entry of the chunk list to look at; `listEnd` means the open chunk is next. */
  private i: number;
  private done: boolean;

  constructor(
    private readonly series: ChunkWalk | undefined,
    private readonly mint: number,
    private readonly maxt: number,
  ) {
    this.done = series === undefined || !(mint < maxt) || series.newestT <= mint;
    this.i = series === undefined || this.done ? 0 : series.firstEntryAfter(mint);
  }

  next(afterMs = Number.NEGATIVE_INFINITY): boolean {
    this.length = 0;
    if (this.done) return false;
    const s = this.series!;
    const after = Math.max(afterMs, this.mint);
    const maxt = this.maxt;
    while (this.i < s.listEnd) {
      const i = this.i++;
      if (i < s.listStart || s.entryMaxt(i) <= after) continue;
      if (s.entryMint(i) > maxt) {
        this.done = true;
        return false;
      }
      const c = s.locate(i);
      if (c === null) continue;
      this.length = decodeWindow(c.u8, c.base, c.count, c.mint, after, maxt, this.t, this.v32, 0);
      if (this.length > 0) return true;
    }
    this.done = true;
    const open = s.locateOpen();
    if (open === null || open.mint > maxt) return false;
    this.length = decodeWindow(
      open.u8,
      open.base,
      open.count,
      open.mint,
      after,
      maxt,
      this.t,
      this.v32,
      0,
    );
    return this.length > 0;
  }
}
