/** A growable byte buffer with the few encodings the on-disk formats use: varints, raw floats, text. */
import type { Labels } from '../../model/model.js';
import { highBits, lowBits } from '../chunk/float-bits.js';

const utf8 = new TextEncoder();

/**
 * Appends bytes at `length`, growing by doubling. Numbers are little-endian; a float is written
 * as its two 32-bit halves, so NaN payloads (the staleness marker) are kept.
 *
 * @example
 * ```ts
 * const w = new ByteWriter();
 * w.uvarint(300);
 * w.float(Math.PI);
 * w.view(); // the bytes written
 * ```
 */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(initial = 4096) {
    this.bytes = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  u8(x: number): void {
    this.reserve(1);
    this.bytes[this.length++] = x;
  }

  u16(x: number): void {
    this.reserve(2);
    const b = this.bytes;
    const at = this.length;
    b[at] = x;
    b[at + 1] = x >>> 8;
    this.length = at + 2;
  }

  u32(x: number): void {
    this.reserve(4);
    writeU32(this.bytes, this.length, x);
    this.length += 4;
  }

  /** An unsigned integer up to 2^53, seven bits a byte. */
  uvarint(x: number): void {
    this.reserve(8);
    const b = this.bytes;
    let at = this.length;
    while (x >= 0x80) {
      b[at++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    b[at++] = x;
    this.length = at;
  }

  /** A signed integer, zig-zag coded so small magnitudes of either sign take one byte. */
  svarint(x: number): void {
    this.uvarint(x < 0 ? -2 * x - 1 : 2 * x);
  }

  /** A float's 8 bytes, NaN payload kept. */
  float(x: number): void {
    const hi = highBits(x);
    this.bits(hi, lowBits());
  }

  /** A float given as its two 32-bit halves. */
  bits(hi: number, lo: number): void {
    this.reserve(8);
    writeU32(this.bytes, this.length, lo);
    writeU32(this.bytes, this.length + 4, hi);
    this.length += 8;
  }

  /** UTF-8 text, its byte length first. */
  text(s: string): void {
    this.reserve(s.length * 3 + 8);
    const at = this.length;
    // Room for the longest varint of the length, then the bytes; moved down if shorter.
    const { written } = utf8.encodeInto(s, this.bytes.subarray(at + 5));
    this.uvarint(written);
    this.bytes.copyWithin(this.length, at + 5, at + 5 + written);
    this.length += written;
  }

  /** A label set: its count, then each name and value (`ByteReader.labels` reads it back). */
  labels(labels: Labels): void {
    const names = Object.keys(labels);
    this.uvarint(names.length);
    for (const name of names) {
      this.text(name);
      this.text(labels[name]);
    }
  }

  raw(src: Uint8Array): void {
    this.reserve(src.length);
    this.bytes.set(src, this.length);
    this.length += src.length;
  }

  /** The bytes written so far (a view, not a copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

export function writeU32(b: Uint8Array, at: number, x: number): void {
  b[at] = x;
  b[at + 1] = x >>> 8;
  b[at + 2] = x >>> 16;
  b[at + 3] = x >>> 24;
}

export function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function readU16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
