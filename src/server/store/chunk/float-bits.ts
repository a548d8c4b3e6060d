/** A number's IEEE 754 bits as two 32-bit halves, and back, without losing a NaN's payload. */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Which half of a Float64 holds the sign and exponent on this machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the high half (sign, exponent, top of the mantissa) in a Uint32Array over Float64s. */
export const HI = LITTLE_ENDIAN ? 1 : 0;
/** Index of the low half in a Uint32Array over Float64s. */
export const LO = LITTLE_ENDIAN ? 0 : 1;

/** The high 32 bits of `v`, as a signed 32-bit integer. Call before {@link lowBits} of the same `v`. */
export function highBits(v: number): number {
  f64[0] = v;
  return u32[HI] | 0;
}

/** The low 32 bits of the number last given to {@link highBits}, as a signed 32-bit integer. */
export function lowBits(): number {
  return u32[LO] | 0;
}

/** The number whose bits are `hi:lo`. Typed-array stores keep NaN payloads (the staleness marker). */
export function fromBits(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}
