/** The recent events an SSE viewer may have missed, kept as framed bytes for `Last-Event-ID` resume. */

/** Bounds of a {@link ReplayBuffer}; the oldest events go first when either is passed. */
export interface ReplayBounds {
  /** Most events kept. */
  readonly events: number;
  /** Most bytes of framed events kept. */
  readonly bytes: number;
}

/**
 * The newest framed events with consecutive ids, bounded by count and by bytes: events of a
 * few KB each (a grouped KPI's reading with long labels) cannot make it hold more than
 * `bytes`. An event larger than `bytes` is not kept at all, so a resume across it gets a
 * snapshot.
 */
export class ReplayBuffer {
  #ids: number[] = [];
  #frames: Uint8Array[] = [];
  /** Index of the oldest kept event in the arrays; the arrays are compacted now and then. */
  #head = 0;
  #bytes = 0;
  /** The id of the newest event pushed, kept or not. */
  #newest = 0;
  readonly #bounds: ReplayBounds;

  constructor(bounds: ReplayBounds) {
    this.#bounds = { events: Math.max(0, bounds.events), bytes: Math.max(0, bounds.bytes) };
  }

  /** Events kept now. */
  get size(): number {
    return this.#ids.length - this.#head;
  }

  /** Bytes of the events kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  push(id: number, bytes: Uint8Array): void {
    this.#newest = id;
    this.#ids.push(id);
    this.#frames.push(bytes);
    this.#bytes += bytes.byteLength;
    while (this.size > 0 && (this.size > this.#bounds.events || this.#bytes > this.#bounds.bytes)) {
      this.#bytes -= this.#frames[this.#head].byteLength;
      this.#frames[this.#head] = EMPTY;
      this.#head++;
    }
    // Drop the evicted slots once they are half the arrays, so pushes stay O(1) amortised.
    if (this.#head > 64 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Frames of every event after `lastSeenId`, oldest first; undefined when some of them are no
   * longer kept, so the caller must send a fresh snapshot instead.
   */
  since(lastSeenId: number): Uint8Array[] | undefined {
    if (lastSeenId >= this.#newest) return [];
    if (this.size === 0) return undefined;
    const oldest = this.#ids[this.#head];
    if (lastSeenId < oldest - 1) return undefined;
    return this.#frames.slice(this.#head + (lastSeenId - oldest + 1));
  }
}

const EMPTY = new Uint8Array(0);
