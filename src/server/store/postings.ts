/** The inverted index: label name → value → ascending series refs (postings). */
import type { Labels } from '../model/model.js';

/** A `Map` entry with its share of the bucket table and growth slack. */
const MAP_ENTRY_BYTES = 40;
/** An empty `Map` object with its smallest table. */
const MAP_BYTES = 120;
/** A JS array object and its backing store header. */
const ARRAY_BYTES = 32 + 16;
/** One ref in an array: a pointer-sized slot, plus growth slack averaged in. */
const REF_BYTES = 10;

/**
 * Postings of every label pair. Refs are handed out in increasing order and a new series is
 * appended, so every list stays sorted without sorting.
 *
 * @example
 * const index = new Postings();
 * index.add(1, { __name__: 'up', job: 'api' });
 * index.get('job', 'api'); // [1]
 */
export class Postings {
  private readonly byName = new Map<string, Map<string, number[]>>();
  private all: number[] = [];

  /** Indexes a new series; `ref` must be greater than every indexed ref. */
  add(ref: number, labels: Labels): void {
    for (const name of Object.keys(labels)) {
      let values = this.byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.byName.set(name, values);
      }
      const value = labels[name];
      const list = values.get(value);
      if (list === undefined) values.set(value, [ref]);
      else list.push(ref);
    }
    this.all.push(ref);
  }

  /** Removes many series at once, so each touched list is filtered only once. */
  remove(removed: ReadonlyMap<number, Labels>): void {
    if (removed.size === 0) return;
    const touched = new Set<number[]>();
    for (const labels of removed.values()) {
      for (const name of Object.keys(labels)) {
        const list = this.byName.get(name)?.get(labels[name]);
        if (list !== undefined) touched.add(list);
      }
    }
    for (const list of touched) {
      let w = 0;
      for (let r = 0; r < list.length; r++) if (!removed.has(list[r])) list[w++] = list[r];
      list.length = w;
    }
    for (const labels of removed.values()) {
      for (const name of Object.keys(labels)) {
        const values = this.byName.get(name);
        if (values === undefined) continue;
        if (values.get(labels[name])?.length === 0) values.delete(labels[name]);
        if (values.size === 0) this.byName.delete(name);
      }
    }
    this.all = this.all.filter((ref) => !removed.has(ref));
  }

  /** Every indexed ref, ascending. Read-only: the index owns it. */
  get allRefs(): readonly number[] {
    return this.all;
  }

  /** The refs with `name="value"`, ascending, or undefined. Read-only. */
  get(name: string, value: string): readonly number[] | undefined {
    return this.byName.get(name)?.get(value);
  }

  /** The value → postings map of one label name. Read-only. */
  values(name: string): ReadonlyMap<string, readonly number[]> | undefined {
    return this.byName.get(name);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /**
   * Estimated bytes: the maps, one array per label pair, one slot per ref. Name and value
   * strings are interned and counted by the interner, so only the map entries count here.
   */
  estimateBytes(): number {
    let bytes = MAP_BYTES + ARRAY_BYTES + this.all.length * REF_BYTES;
    for (const values of this.byName.values()) {
      bytes += MAP_ENTRY_BYTES + MAP_BYTES;
      for (const list of values.values()) {
        bytes += MAP_ENTRY_BYTES + ARRAY_BYTES + list.length * REF_BYTES;
      }
    }
    return bytes;
  }
}
