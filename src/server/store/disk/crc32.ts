/** CRC-32 (IEEE, as zlib's) over a stretch of bytes, in JS for short stretches where a native call costs more than the sum. */
import { crc32 as nativeCrc32 } from 'node:zlib';

/** Slicing-by-4 tables: four bytes a step. */
const TABLES = (() => {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/** Above this many bytes zlib's native code is faster than the call into it costs. */
const NATIVE_FROM = 1024;

/**
 * The CRC-32 of `b[start..end)`, the same number `zlib.crc32` gives for those bytes.
 *
 * @example
 * ```ts
 * crc32(bytes, 4, 19) === zlib.crc32(bytes.subarray(4, 19)); // true
 * ```
 */
export function crc32(b: Uint8Array, start: number, end: number): number {
  if (end - start >= NATIVE_FROM) return nativeCrc32(b.subarray(start, end));
  const t = TABLES;
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    c =
      t[768 + (c & 0xff)] ^
      t[512 + ((c >>> 8) & 0xff)] ^
      t[256 + ((c >>> 16) & 0xff)] ^
      t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
