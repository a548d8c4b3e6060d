/** The chunk file format: a small file header, then one record per sealed chunk, each with two checksums. */
import { readU16, readU32, writeU32 } from './byte-writer.js';
import { crc32 } from './crc32.js';

/** "KLC1": a kpi-lights chunk file, version 1. */
export const CHUNK_FILE_MAGIC = 0x314c434b;
/** File header: u32 magic, u32 spare, f64 base time (ms) that chunk times are relative to. */
export const CHUNK_FILE_HEADER_BYTES = 16;

/**
 * A record's header, 23 bytes: u32 CRC-32 of the next 15 bytes; u32 series ref; i32 mint in ms
 * after the file's base time; u32 maxt − mint; u8 sample count; u16 length of the bits; u32
 * CRC-32 of the bits. The header has its own checksum so a damaged chunk still names its series
 * and its length, and the file reads on past it.
 */
export const CHUNK_RECORD_HEADER_BYTES = 23;
/** The most bits a chunk takes (see `MAX_OPEN_SLOT_BYTES`); longer lengths are damage. */
export const MAX_CHUNK_BYTES = 2048;
/** The furthest a chunk's mint may lie from its file's base time. */
export const MAX_BASE_OFFSET_MS = 0x7fffffff;

/** A record's header fields, as read. */
export interface ChunkRecordHeader {
  ref: number;
  mint: number;
  maxt: number;
  count: number;
  length: number;
}

/**
 * Writes a record's header for `length` bytes of chunk bits that follow it at `at + 23`
 * (already in place, so their checksum can be taken).
 */
export function writeChunkHeader(
  b: Uint8Array,
  at: number,
  base: number,
  ref: number,
  mint: number,
  maxt: number,
  count: number,
  length: number,
): void {
  writeU32(b, at + 4, ref);
  writeU32(b, at + 8, (mint - base) | 0);
  writeU32(b, at + 12, maxt - mint);
  b[at + 16] = count;
  b[at + 17] = length;
  b[at + 18] = length >>> 8;
  writeU32(b, at + 19, crc32(b, at + 23, at + 23 + length));
  writeU32(b, at, crc32(b, at + 4, at + 19));
}

/**
 * Reads the header at `at` into `out` if its checksum holds and its fields are possible (a
 * known ref, 1–255 samples, a length a chunk can have). False otherwise: not a record start.
 */
export function readChunkHeader(
  b: Uint8Array,
  at: number,
  base: number,
  maxRef: number,
  out: ChunkRecordHeader,
): boolean {
  if (at + CHUNK_RECORD_HEADER_BYTES > b.length) return false;
  const ref = readU32(b, at + 4);
  const count = b[at + 16];
  const length = readU16(b, at + 17);
  if (ref === 0 || ref > maxRef || count === 0 || length === 0 || length > MAX_CHUNK_BYTES) {
    return false;
  }
  if (crc32(b, at + 4, at + 19) !== readU32(b, at)) return false;
  const mint = base + (readU32(b, at + 8) | 0);
  out.ref = ref;
  out.mint = mint;
  out.maxt = mint + readU32(b, at + 12);
  out.count = count;
  out.length = length;
  return true;
}

/** True when the bits after the header at `at` (of `length` bytes) match their checksum. */
export function chunkBitsIntact(b: Uint8Array, at: number, length: number): boolean {
  const start = at + CHUNK_RECORD_HEADER_BYTES;
  if (start + length > b.length) return false;
  return crc32(b, start, start + length) === readU32(b, at + 19);
}
