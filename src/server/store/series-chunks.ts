/** The writer's own series as a {@link ChunkWalk}: its list and open chunk, read in this thread. */
import type { ChunkMemory } from './chunk/chunk-memory.js';
import type { ChunkBits, ChunkWalk } from './chunk-walk.js';
import type { SeriesSamples } from './series-samples.js';

/**
 * Binds a series to the memory and ref its reads need, for the cursor and `readRange`.
 *
 * @example
 * ```ts
 * const run = readRange(new SeriesChunks(head.memory, series, ref), mint, maxt);
 * ```
 */
export class SeriesChunks implements ChunkWalk {
  constructor(
    private readonly mem: ChunkMemory,
    private readonly series: SeriesSamples,
    private readonly ref: number,
  ) {}

  get listStart(): number {
    return this.series.listStart;
  }

  get listEnd(): number {
    return this.series.listEnd;
  }

  get newestT(): number {
    return this.series.newestT;
  }

  firstEntryAfter(t: number): number {
    return this.series.firstEntryAfter(t);
  }

  entryMint(i: number): number {
    return this.series.entryMint(i);
  }

  entryMaxt(i: number): number {
    return this.series.entryMaxt(i);
  }

  entryCount(i: number): number {
    return this.series.entryCount(i);
  }

  locate(i: number): ChunkBits | null {
    return this.series.locate(this.mem, this.ref, i);
  }

  locateOpen(): ChunkBits | null {
    return this.series.locateOpen();
  }
}
