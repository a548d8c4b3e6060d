/** Reads what `ByteWriter` wrote, refusing to run past its end. */
import type { Labels } from '../../model/model.js';
import { fromBits } from '../chunk/float-bits.js';
import { labelsFromPairs } from '../label-interner.js';
import { readU32 } from './byte-writer.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown when bytes end early or hold an impossible value; the caller says which file. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/**
 * A cursor over bytes from `at` up to `end`.
 *
 * @example
 * ```ts
 * const r = new ByteReader(bytes, 0, bytes.length);
 * const n = r.uvarint();
 * ```
 */
export class ByteReader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly end: number,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++];
  }

  u32(): number {
    this.need(4);
    const x = readU32(this.bytes, this.at);
    this.at += 4;
    return x;
  }

  uvarint(): number {
    let x = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      this.need(1);
      const b = this.bytes[this.at++];
      x += (b & 0x7f) * scale;
      if (b < 0x80) return x;
      scale *= 0x80;
    }
    throw new FormatError('a number runs past 8 bytes');
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  float(): number {
    this.need(8);
    const lo = readU32(this.bytes, this.at);
    const hi = readU32(this.bytes, this.at + 4);
    this.at += 8;
    return fromBits(hi, lo);
  }

  /** A float's two halves, `[hi, lo]`, for callers that must not pass NaNs through a number. */
  bits(out: Int32Array): void {
    this.need(8);
    out[1] = readU32(this.bytes, this.at);
    out[0] = readU32(this.bytes, this.at + 4);
    this.at += 8;
  }

  text(): string {
    const n = this.uvarint();
    this.need(n);
    const b = this.bytes;
    const at = this.at;
    this.at += n;
    // Label names and values are short and mostly ASCII: built by hand, that is twice as fast.
    if (n <= 64) {
      let s = '';
      for (let i = at; i < at + n; i++) {
        const c = b[i];
        if (c > 0x7f) return utf8.decode(b.subarray(at, at + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8.decode(b.subarray(at, at + n));
  }

  /** A label set as `ByteWriter` callers write one: a count, then name and value texts. */
  labels(): Labels {
    const n = this.uvarint();
    const pairs: string[] = new Array(2 * n);
    for (let i = 0; i < 2 * n; i++) pairs[i] = this.text();
    return labelsFromPairs(pairs);
  }

  /** `n` bytes, as a view. */
  raw(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  private need(n: number): void {
    if (this.at + n > this.end) throw new FormatError('the bytes end early');
  }
}
