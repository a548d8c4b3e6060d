/** Reads a chunk that `XorEncoder` wrote, sample by sample or a window at a time into columns. */
import { HI, LO } from './float-bits.js';

/**
 * Walks one chunk's samples in order. It reads only the `count` samples it was told of, so it
 * may run over an open chunk whose later samples are still being written.
 *
 * @example
 * ```ts
 * const dec = new XorDecoder();
 * dec.reset(bytes, 0, count, mint);
 * while (dec.next()) console.log(dec.t, dec.value());
 * ```
 */
export class XorDecoder {
  /** Time of the current sample, after `next()` returned true. */
  t = 0;
  /** Bits of the current value, as signed 32-bit halves. */
  vHi = 0;
  vLo = 0;
  private u8: Uint8Array = new Uint8Array(0);
  private base = 0;
  private pos = 0;
  private left = 0;
  private read = 0;
  private delta = 0;
  private leading = 0;
  private trailing = 0;

  /** Starts over on a chunk of `count` samples from byte `base` of `u8`, whose first time is `t0`. */
  reset(u8: Uint8Array, base: number, count: number, t0: number): void {
    this.u8 = u8;
    this.base = base;
    this.pos = 0;
    this.left = count;
    this.read = 0;
    this.t = t0;
    this.delta = 0;
    this.leading = 0;
    this.trailing = 0;
  }

  /** Samples not yet read. */
  get remaining(): number {
    return this.left;
  }

  /** Moves to the next sample; false after the last. */
  next(): boolean {
    if (this.left === 0) return false;
    this.left--;
    if (this.read++ === 0) {
      this.vHi = this.get(32) | 0;
      this.vLo = this.get(32) | 0;
      return true;
    }
    // The time's bucket: how many 1 bits come before a 0 (four at most).
    let ones = 0;
    while (ones < 4 && this.get(1) === 1) ones++;
    let dod = 0;
    if (ones === 1) {
      dod = this.get(14);
      if (dod > 8192) dod -= 16384;
    } else if (ones === 2) {
      dod = this.get(17);
      if (dod > 65536) dod -= 131072;
    } else if (ones === 3) {
      dod = this.get(20);
      if (dod > 524288) dod -= 1048576;
    } else if (ones === 4) {
      dod = this.get(32) | 0;
    }
    this.delta += dod;
    this.t += this.delta;

    if (this.get(1) === 0) return true;
    if (this.get(1) === 1) {
      this.leading = this.get(5);
      let significant = this.get(6);
      if (significant === 0) significant = 64;
      this.trailing = 64 - this.leading - significant;
    }
    const n = 64 - this.leading - this.trailing;
    let hi = 0;
    let lo: number;
    if (n > 32) {
      hi = this.get(n - 32);
      lo = this.get(32);
    } else {
      lo = this.get(n);
    }
    const shift = this.trailing;
    if (shift >= 32) {
      hi = lo << (shift - 32);
      lo = 0;
    } else if (shift > 0) {
      hi = (hi << shift) | (lo >>> (32 - shift));
      lo <<= shift;
    }
    this.vHi ^= hi;
    this.vLo ^= lo;
    return true;
  }

  /** Reads `n` bits (1 ≤ n ≤ 32), most significant first, as an unsigned integer. */
  private get(n: number): number {
    const bits = this.pos;
    this.pos = bits + n;
    const u8 = this.u8;
    let i = this.base + (bits >>> 3);
    const avail = 8 - (bits & 7);
    const first = u8[i] & ((1 << avail) - 1);
    if (n <= avail) return first >>> (avail - n);
    let out = first;
    n -= avail;
    while (n >= 8) {
      out = (out << 8) | u8[++i];
      n -= 8;
    }
    if (n > 0) out = (out << n) | (u8[++i] >>> (8 - n));
    return out >>> 0;
  }
}

const shared = new XorDecoder();

/**
 * Decodes the samples of a chunk with `mint < t <= maxt` into `t` and `v32` from sample `at`,
 * and answers how many it wrote. `v32` is a Uint32Array over the values' Float64Array (two
 * halves a value): writing the bits keeps every NaN's payload. Stops at the first time past
 * `maxt`.
 *
 * @example
 * ```ts
 * const v = new Float64Array(count);
 * const n = decodeWindow(bytes, 0, count, chunkMint, mint, maxt, t, new Uint32Array(v.buffer), 0);
 * ```
 */
export function decodeWindow(
  u8: Uint8Array,
  base: number,
  count: number,
  t0: number,
  mint: number,
  maxt: number,
  t: Float64Array,
  v32: Uint32Array,
  at: number,
): number {
  const dec = shared;
  dec.reset(u8, base, count, t0);
  let k = at;
  while (dec.next()) {
    const ts = dec.t;
    if (ts <= mint) continue;
    if (ts > maxt) break;
    t[k] = ts;
    const w = 2 * k;
    v32[w + HI] = dec.vHi;
    v32[w + LO] = dec.vLo;
    k++;
  }
  return k - at;
}
