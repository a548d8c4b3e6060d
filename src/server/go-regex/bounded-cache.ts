/** A least-recently-used cache bounded by entry count and by the total bytes of its entries. */

/** Limits of a {@link BoundedCache}. */
export interface BoundedCacheLimits {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most total bytes kept; an entry larger than this is never kept. */
  readonly maxBytes: number;
}

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

/**
 * A map that forgets its least recently used entries once it holds more than `maxEntries`
 * entries or `maxBytes` bytes, so a flood of large one-off keys cannot pin memory.
 * @example
 * const cache = new BoundedCache<string, RegExp>({ maxEntries: 100, maxBytes: 1 << 20 });
 * cache.set('a+', /a+/, 64);
 * cache.get('a+'); // /a+/
 */
export class BoundedCache<K, V> {
  readonly #limits: BoundedCacheLimits;
  readonly #entries = new Map<K, Entry<V>>();
  #bytes = 0;

  constructor(limits: BoundedCacheLimits) {
    this.#limits = limits;
  }

  /** The value for `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Re-inserting moves the key to the end of the Map's order: the most recent.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` under `key`, costing `bytes`, and evicts the oldest entries past the limits. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#limits.maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) {
        break;
      }
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  /** Forgets `key`. */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Entries and total bytes held now. */
  get size(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }
}
