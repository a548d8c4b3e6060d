/** The recent events an SSE viewer may have missed, kept as framed bytes for `Last-Event-ID` resume. */

/** A fixed-size ring of framed events with consecutive ids. */
export class ReplayBuffer {
  readonly #ids: number[] = [];
  readonly #frames: Uint8Array[] = [];
  readonly #capacity: number;
  #start = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  push(id: number, bytes: Uint8Array): void {
    if (this.#capacity === 0) return;
    if (this.#ids.length < this.#capacity) {
      this.#ids.push(id);
      this.#frames.push(bytes);
      return;
    }
    this.#ids[this.#start] = id;
    this.#frames[this.#start] = bytes;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  /**
   * Frames of every event after `lastSeenId`, oldest first; undefined when some of them are no
   * longer kept, so the caller must send a fresh snapshot instead.
   */
  since(lastSeenId: number): Uint8Array[] | undefined {
    const n = this.#ids.length;
    if (n === 0) return lastSeenId === 0 ? [] : undefined;
    const oldest = this.#ids[this.#start];
    const newest = this.#ids[(this.#start + n - 1) % n];
    if (lastSeenId >= newest) return [];
    if (lastSeenId < oldest - 1) return undefined;
    const out: Uint8Array[] = [];
    for (let i = lastSeenId - oldest + 1; i < n; i++) out.push(this.#frames[(this.#start + i) % n]);
    return out;
  }
}
