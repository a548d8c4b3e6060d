/** Byte layouts in the arenas: an open chunk's slot, a sealed chunk's block, one chunk-list entry. */

/** Samples in a chunk before it is cut, as in Prometheus. */
export const MAX_CHUNK_SAMPLES = 120;

/**
 * Chunks never span a multiple of this (2 h, Prometheus's head chunk range): a chunk is cut when
 * a sample reaches the next boundary, so chunks line up with blocks of time on disk.
 */
export const CHUNK_RANGE_MS = 2 * 60 * 60 * 1000;

/** The first boundary after `t`: a chunk started at `t` is cut before a sample at or past it. */
export function chunkBoundary(t: number): number {
  return (Math.floor(t / CHUNK_RANGE_MS) + 1) * CHUNK_RANGE_MS;
}

/**
 * An open chunk's slot: 8 spare bytes, Float64 first time, then the bits. Its sample count is in
 * the series' record, published at each commit (see `RECORD_*`).
 */
export const OPEN_T0_F64 = 1;
export const OPEN_HEADER_BYTES = 16;

/** Open slots start at this size and double up to {@link MAX_OPEN_SLOT_BYTES}. */
export const FIRST_OPEN_SLOT_BYTES = 64;
/** Holds 120 samples of the worst shape (see `MAX_SAMPLE_BITS`) with the header. */
export const MAX_OPEN_SLOT_BYTES = 2048;

/**
 * A sealed chunk's block: Uint32 sample count, Uint32 byte length of the bits, Uint32 chunk file
 * and Uint32 position of its copy on disk ({@link NO_FILE} when it has none), then the bits.
 */
export const BLOCK_COUNT_U32 = 0;
export const BLOCK_LENGTH_U32 = 1;
export const BLOCK_FILE_U32 = 2;
export const BLOCK_POS_U32 = 3;
export const BLOCK_HEADER_BYTES = 16;

/**
 * One entry of a series' chunk list, 24 bytes: Float64 mint, Float64 maxt, Uint32 count << 24 |
 * where (a chunk file's number, or {@link IN_MEMORY}), Uint32 position (in the file, or the
 * block's location in the arenas).
 */
export const ENTRY_BYTES = 24;
export const ENTRY_MINT_F64 = 0;
export const ENTRY_MAXT_F64 = 1;
export const ENTRY_WHERE_U32 = 4;
export const ENTRY_POS_U32 = 5;

/** `where` of a chunk that lives in the arenas. */
export const IN_MEMORY = 0xffffff;
/** A sealed block's file when it has no copy on disk. */
export const NO_FILE = 0xffffffff;
/** Chunk files are numbered below this, so a number fits beside the count in 32 bits. */
export const MAX_CHUNK_FILE = IN_MEMORY - 1;

/**
 * A series' record, what readers in other threads know of it (one 64-byte slot, Int32 fields,
 * each written and read with `Atomics`): a sequence number, odd while the writer changes the
 * record or an entry of its list in place; flags; the open chunk's slot and its committed
 * sample count; the chunk list's slot and its live entries `[start, end)`.
 */
export const RECORD_BYTES = 64;
export const RECORD_SEQ_I32 = 0;
export const RECORD_FLAGS_I32 = 1;
export const RECORD_OPEN_LOC_I32 = 2;
export const RECORD_OPEN_COUNT_I32 = 3;
export const RECORD_LIST_LOC_I32 = 4;
export const RECORD_LIST_START_I32 = 5;
export const RECORD_LIST_END_I32 = 6;
/** A record's location field when there is no slot (slots are 64-byte aligned, so never a location). */
export const NO_LOC = -1;
/** Flag: a reader found a chunk of this series damaged. */
export const RECORD_DAMAGED = 1;
