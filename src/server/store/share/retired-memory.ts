/** Memory the head let go of while readers in other threads may still read it, kept until no reader can. */

/** What a retired location was. */
export const RETIRED_SLOT = 0;
export const RETIRED_BLOCK = 1;
export const RETIRED_RECORD = 2;

type Kind = typeof RETIRED_SLOT | typeof RETIRED_BLOCK | typeof RETIRED_RECORD;

interface Batch {
  readonly epoch: number;
  /** `[kind, location, size]` triples. */
  readonly items: number[];
}

/**
 * Retired locations, in batches by the epoch they were retired in. The writer retires as it
 * goes, `seal`s the batch when it publishes (tagging it with the epoch it then moves past), and
 * `reclaim`s the batches every reader has moved past.
 *
 * @example
 * ```ts
 * retired.retire(RETIRED_SLOT, loc, 256);
 * retired.seal(share.epoch); share.advance();
 * retired.reclaim(share.oldestPin(), (kind, loc, size) => free(kind, loc, size));
 * ```
 */
export class RetiredMemory {
  private pending: number[] = [];
  private readonly batches: Batch[] = [];
  private held = 0;

  retire(kind: Kind, loc: number, size: number): void {
    this.pending.push(kind, loc, size);
    this.held++;
  }

  /** Closes the batch retired since the last seal, as retired in `epoch`. */
  seal(epoch: number): void {
    if (this.pending.length === 0) return;
    this.batches.push({ epoch, items: this.pending });
    this.pending = [];
  }

  /** Hands every location of the batches retired before `oldestPin` to `free`. */
  reclaim(oldestPin: number, free: (kind: Kind, loc: number, size: number) => void): void {
    let done = 0;
    for (; done < this.batches.length && this.batches[done].epoch < oldestPin; done++) {
      const { items } = this.batches[done];
      for (let i = 0; i < items.length; i += 3) free(items[i] as Kind, items[i + 1], items[i + 2]);
      this.held -= items.length / 3;
    }
    if (done > 0) this.batches.splice(0, done);
  }

  /** Locations retired and not yet reclaimed. */
  get size(): number {
    return this.held;
  }
}
