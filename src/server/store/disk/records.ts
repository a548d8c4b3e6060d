/** The record framing of the WAL and checkpoints: length, checksum, type, payload. */
import { type ByteWriter, readU32, writeU32 } from './byte-writer.js';
import { crc32 } from './crc32.js';

/** What a record holds. */
export const RecordType = {
  /** New series: ref and labels. */
  series: 1,
  /** Samples: ref, time, value. */
  samples: 2,
  /** Series the head let go of. */
  dropped: 3,
  /** A checkpoint's open chunk of one series. */
  open: 4,
  /** A checkpoint's last record: what it should have held. */
  end: 5,
} as const;

/** Bytes before a record's payload: u32 payload length, u32 CRC-32 of type and payload, u8 type. */
export const RECORD_HEADER_BYTES = 9;

/** The largest payload a reader accepts; writers close a record long before. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Opens a record in `w`; write its payload, then call {@link endRecord} with the answer.
 *
 * @example
 * ```ts
 * const at = beginRecord(w, RecordType.dropped);
 * w.uvarint(42);
 * endRecord(w, at);
 * ```
 */
export function beginRecord(w: ByteWriter, type: number): number {
  w.reserve(RECORD_HEADER_BYTES);
  const at = w.length;
  w.length += RECORD_HEADER_BYTES;
  w.bytes[at + 8] = type;
  return at;
}

/** Fills in the length and checksum of the record begun at `at`. */
export function endRecord(w: ByteWriter, at: number): void {
  const b = w.bytes;
  writeU32(b, at, w.length - at - RECORD_HEADER_BYTES);
  writeU32(b, at + 4, crc32(b, at + 8, w.length));
}

/** One record found in a buffer. */
export interface FoundRecord {
  readonly type: number;
  /** Where its payload starts and ends in the buffer. */
  readonly start: number;
  readonly end: number;
}

/** Where a run of records stopped short, and why. */
export interface RecordDamage {
  readonly offset: number;
  readonly reason: string;
}

/**
 * Walks the records of `bytes` from `from`, calling `each` for every whole, intact one.
 * Answers null when the records fill the buffer exactly, or where and why they stopped: a
 * record cut short (a torn write) or one whose checksum fails. Nothing after that point is
 * trusted, as its framing may be wrong.
 *
 * @example
 * ```ts
 * const damage = readRecords(bytes, 0, (r) => handle(r.type, bytes.subarray(r.start, r.end)));
 * ```
 */
export function readRecords(
  bytes: Uint8Array,
  from: number,
  each: (record: FoundRecord) => void,
): RecordDamage | null {
  let at = from;
  while (at < bytes.length) {
    if (at + RECORD_HEADER_BYTES > bytes.length) {
      return { offset: at, reason: 'a record header is cut short' };
    }
    const length = readU32(bytes, at);
    const end = at + RECORD_HEADER_BYTES + length;
    if (length > MAX_RECORD_BYTES || end > bytes.length) {
      return { offset: at, reason: 'a record is cut short' };
    }
    if (crc32(bytes, at + 8, end) !== readU32(bytes, at + 4)) {
      return { offset: at, reason: 'a record fails its checksum' };
    }
    each({ type: bytes[at + 8], start: at + RECORD_HEADER_BYTES, end });
    at = end;
  }
  return null;
}
