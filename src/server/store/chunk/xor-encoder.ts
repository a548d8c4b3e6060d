/** Appends samples to a Gorilla-style chunk: delta-of-delta times and XOR'd values, packed as bits. */

/**
 * Most bits one sample can take after the first: a 4-bit tag and a 32-bit time step, then a
 * 2-bit tag, 5 + 6 bits of window and 64 bits of value.
 */
export const MAX_SAMPLE_BITS = 4 + 32 + 2 + 5 + 6 + 64;

/** Bits of the first sample: its value, raw. Its time is the chunk's `mint`, kept beside it. */
export const FIRST_SAMPLE_BITS = 64;

/**
 * The longest a chunk may span, ms: its times are kept as int32 offsets from its first, and a
 * delta of deltas must fit 32 signed bits. Chunks are cut at time boundaries far shorter than
 * this, so it never binds in practice.
 */
export const MAX_CHUNK_SPAN_MS = 0x3fffffff;

/** Leading-zero count meaning "no window yet": the first XOR always writes its own. */
const NO_WINDOW = 0xff;

/** Trailing zero bits of a nonzero 32-bit integer. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * The encoder of one open chunk, writing into `u8` from byte `base` on, `capacity` bytes at
 * most. Bits are only ever OR-ed into zeroed bytes, so the bits of samples already written never
 * change: a reader that knows the sample count may decode them while later ones are appended.
 *
 * The stream: sample 0's value as 64 raw bits; then for each sample the time as a delta of
 * deltas in buckets (`0`; `10`+14 bits; `110`+17; `1110`+20; `1111`+32) and the value XOR'd with
 * the previous one (`0` when equal; `10`+the bits inside the previous window of leading and
 * trailing zeros; `11`+5 bits leading zeros, 6 bits length, the bits).
 *
 * @example
 * ```ts
 * const enc = new XorEncoder();
 * enc.begin(new Uint8Array(256), 0, 256, 1_700_000_000_000, highBits(1.5), lowBits());
 * enc.append(15_000, highBits(2.5), lowBits()); // 15 s after the first
 * enc.count; // 2
 * ```
 */
export class XorEncoder {
  u8: Uint8Array = new Uint8Array(0);
  base = 0;
  capacity = 0;
  /** Bits written so far. */
  bits = 0;
  count = 0;
  /** The first sample's time: the chunk's mint. */
  t0 = 0;
  /** The last sample's time, ms after `t0`: a small integer, so the hot path stays in int32 math. */
  lastRel = 0;
  lastDelta = 0;
  /** The last value's bits, as signed 32-bit halves. */
  vHi = 0;
  vLo = 0;
  leading = NO_WINDOW;
  trailing = 0;

  /** Starts a chunk in zeroed memory with its first sample. `capacity` must hold 8 bytes. */
  begin(u8: Uint8Array, base: number, capacity: number, t: number, hi: number, lo: number): void {
    this.u8 = u8;
    this.base = base;
    this.capacity = capacity;
    this.bits = 0;
    this.count = 1;
    this.t0 = t;
    this.lastRel = 0;
    this.lastDelta = 0;
    this.vHi = hi;
    this.vLo = lo;
    this.leading = NO_WINDOW;
    this.trailing = 0;
    this.put(hi, 32);
    this.put(lo, 32);
  }

  /** Points the encoder at a copy of its bytes (a larger slot); the bits stay as they are. */
  moveTo(u8: Uint8Array, base: number, capacity: number): void {
    this.u8 = u8;
    this.base = base;
    this.capacity = capacity;
  }

  /** True when one more sample of any shape fits, with the four spare bytes `put` may touch. */
  get hasRoom(): boolean {
    return this.capacity * 8 - this.bits >= MAX_SAMPLE_BITS + 32;
  }

  /** The last sample's time. */
  get lastT(): number {
    return this.t0 + this.lastRel;
  }

  /** Bytes the bits written so far take. */
  get byteLength(): number {
    return (this.bits + 7) >>> 3;
  }

  /**
   * Appends a sample `rel` ms after `t0`: an integer after the last one's, at most
   * {@link MAX_CHUNK_STEP_MS} after `t0`; the caller checks {@link hasRoom} first. `hi` and `lo`
   * are the value's bits (see `float-bits.ts`).
   */
  append(rel: number, hi: number, lo: number): void {
    const delta = rel - this.lastRel;
    const dod = delta - this.lastDelta;
    this.lastRel = rel;
    this.lastDelta = delta;
    // The time's bits, tag included, in one number (`tn` of them) unless it takes 36.
    let tBits: number;
    let tn: number;
    if (dod === 0) {
      tBits = 0;
      tn = 1;
    } else if (dod >= -8191 && dod <= 8192) {
      tBits = 0x8000 | (dod & 0x3fff);
      tn = 16;
    } else if (dod >= -65535 && dod <= 65536) {
      tBits = 0xc0000 | (dod & 0x1ffff);
      tn = 20;
    } else if (dod >= -524287 && dod <= 524288) {
      tBits = 0xe00000 | (dod & 0xfffff);
      tn = 24;
    } else {
      this.put(0xf, 4);
      tBits = dod | 0;
      tn = 32;
    }

    const xHi = hi ^ this.vHi;
    const xLo = lo ^ this.vLo;
    this.vHi = hi;
    this.vLo = lo;
    this.count++;
    if ((xHi | xLo) === 0) {
      // Tag 0 after the time: one more bit, always inside 32 when the time took at most 31.
      if (tn < 32) this.put(tBits << 1, tn + 1);
      else {
        this.put(tBits, 32);
        this.put(0, 1);
      }
      return;
    }
    let lead = xHi !== 0 ? Math.clz32(xHi) : 32 + Math.clz32(xLo);
    if (lead > 31) lead = 31; // five bits hold it; the zeros above are written as bits
    const trail = xLo !== 0 ? ctz32(xLo) : 32 + ctz32(xHi);
    let header: number;
    let hn: number;
    let shift: number;
    let n: number;
    if (this.leading !== NO_WINDOW && lead >= this.leading && trail >= this.trailing) {
      // Tag 10: the bits inside the previous window.
      header = 2;
      hn = 2;
      shift = this.trailing;
      n = 64 - this.leading - shift;
    } else {
      this.leading = lead;
      this.trailing = trail;
      shift = trail;
      n = 64 - lead - trail;
      // Tag 11, five bits of leading zeros, six bits of length (64 written as 0).
      header = (3 << 11) | (lead << 6) | (n & 63);
      hn = 13;
    }
    if (n <= 32) {
      const sig =
        shift === 0
          ? xLo
          : shift >= 32
            ? xHi >>> (shift - 32)
            : (xLo >>> shift) | (xHi << (32 - shift));
      if (tn + hn + n <= 32) {
        // The common case: time, tag and value in one write.
        this.put(
          (((tBits << hn) | header) << n) | (n === 32 ? sig : sig & ((1 << n) - 1)),
          tn + hn + n,
        );
        return;
      }
      this.put(tBits, tn);
      if (hn + n <= 32) this.put((header << n) | (n === 32 ? sig : sig & ((1 << n) - 1)), hn + n);
      else {
        this.put(header, hn);
        this.put(sig, n);
      }
      return;
    }
    this.put(tBits, tn);
    this.put(header, hn);
    this.putShifted(xHi, xLo, shift, n);
  }

  /** Writes the low `n` bits (n ≤ 64) of `(hi:lo) >>> shift`. */
  private putShifted(hi: number, lo: number, shift: number, n: number): void {
    let sHi: number;
    let sLo: number;
    if (shift === 0) {
      sHi = hi;
      sLo = lo;
    } else if (shift >= 32) {
      sHi = 0;
      sLo = hi >>> (shift - 32);
    } else {
      sHi = hi >>> shift;
      sLo = (lo >>> shift) | (hi << (32 - shift));
    }
    if (n > 32) {
      this.put(sHi, n - 32);
      this.put(sLo, 32);
    } else {
      this.put(sLo, n);
    }
  }

  /**
   * Writes the low `n` bits (1 ≤ n ≤ 32) of `value`, most significant first, as a few OR-ed
   * bytes with no loop. It may OR zeros into the four bytes after the bits; `hasRoom` keeps
   * them inside the chunk's slot.
   */
  private put(value: number, n: number): void {
    const bits = this.bits;
    this.bits = bits + n;
    if (n < 32) value &= (1 << n) - 1;
    const end = (bits & 7) + n;
    const u8 = this.u8;
    const i = this.base + (bits >>> 3);
    if (end <= 32) {
      const w = value << (32 - end);
      u8[i] |= w >>> 24;
      u8[i + 1] |= w >>> 16;
      u8[i + 2] |= w >>> 8;
      u8[i + 3] |= w;
      return;
    }
    // The bits run 1 to 7 past the 32-bit window: those go to the fifth byte.
    const spill = end - 32;
    const w = value >>> spill;
    u8[i] |= w >>> 24;
    u8[i + 1] |= w >>> 16;
    u8[i + 2] |= w >>> 8;
    u8[i + 3] |= w;
    u8[i + 4] |= value << (8 - spill);
  }
}
