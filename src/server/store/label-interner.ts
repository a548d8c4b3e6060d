/** One string instance per distinct label name and value, and each series' canonical key. */
import type { Labels } from '../model/model.js';

interface Held {
  readonly s: string;
  n: number;
}

/** V8 string header (map, hash, length) on a 64-bit heap without pointer compression. */
const STRING_HEADER_BYTES = 16;
/** One `Map` entry (key, value, chain link, bucket share) plus the `Held` record. */
const INTERNED_ENTRY_BYTES = 32 + 40;

/** Estimated bytes of a flat string: header plus one or two bytes a char, 8-byte aligned. */
export function stringBytes(s: string): number {
  // V8 stores a string of Latin-1 chars one byte a char, any other two.
  const width = /[^\u0000-\u00ff]/.test(s) ? 2 : 1;
  return (STRING_HEADER_BYTES + s.length * width + 7) & ~7;
}

/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 keeps substrings of
 * 13+ chars as slices of their parent, so a label value taken from a scrape body would keep
 * the whole body alive for as long as the series lives.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Reference-counted string interning: every series holding a name or value counts once, and
 * the string is forgotten when the last holder lets go.
 *
 * @example
 * const strings = new StringInterner();
 * const a = strings.acquire(body.slice(10, 40)); // stored detached from `body`
 * strings.release(a);
 */
export class StringInterner {
  private readonly held = new Map<string, Held>();

  /** The stored instance equal to `s`, counting one more holder. */
  acquire(s: string): string {
    const h = this.held.get(s);
    if (h !== undefined) {
      h.n++;
      return h.s;
    }
    const own = detach(s);
    this.held.set(own, { s: own, n: 1 });
    return own;
  }

  release(s: string): void {
    const h = this.held.get(s);
    if (h !== undefined && --h.n === 0) this.held.delete(s);
  }

  get size(): number {
    return this.held.size;
  }

  /** Estimated bytes of the strings and the table. */
  estimateBytes(): number {
    let bytes = 0;
    for (const s of this.held.keys()) bytes += stringBytes(s) + INTERNED_ENTRY_BYTES;
    return bytes;
  }
}

/**
 * The label pairs of a set as `[name, value, name, value, …]`, sorted by name, without
 * empty values: as in Prometheus, a label with an empty value is the same as no label.
 */
export function sortedPairs(labels: Labels): string[] {
  const names: string[] = [];
  for (const name in labels) {
    // Insertion sort: label sets are small and often nearly sorted already.
    let i = names.length;
    while (i > 0 && names[i - 1] > name) i--;
    names.splice(i, 0, name);
  }
  const pairs: string[] = [];
  for (const name of names) {
    const value = labels[name];
    if (value === '' || value === undefined) continue;
    if (typeof value !== 'string') {
      throw new TypeError(`label ${name} has a ${typeof value} value; label values are strings`);
    }
    pairs.push(name, value);
  }
  return pairs;
}

/**
 * The map key of a series: its sorted pairs joined by NUL. NUL sorts before every other
 * char, so comparing two keys as strings orders label sets as Prometheus does (pairwise by
 * name, then value; a prefix first). A NUL inside a name or value would make keys ambiguous,
 * so such rare sets get a JSON key instead, which holds no raw NUL and so never collides.
 */
export function seriesKey(pairs: readonly string[]): string {
  for (const s of pairs) if (s.includes('\u0000')) return JSON.stringify(pairs);
  return pairs.join('\u0000');
}

/** A frozen label set built in sorted order from pairs. */
export function labelsFromPairs(pairs: readonly string[]): Labels {
  // Assigning in a fixed order lets V8 share one hidden class among series of a metric.
  const labels: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i];
    // Plain assignment to `__proto__` would set the prototype instead of a label.
    if (name === '__proto__') {
      Object.defineProperty(labels, name, { value: pairs[i + 1], enumerable: true });
    } else {
      labels[name] = pairs[i + 1];
    }
  }
  return Object.freeze(labels);
}

/** A label's value in a set, `''` when absent (never an inherited property). */
export function labelValue(labels: Labels, name: string): string {
  const v = labels[name];
  // Object.prototype has no string-valued property, so a string here is the set's own.
  return typeof v === 'string' ? v : '';
}
