/** Sealed chunks read back from the chunk files by position, by a thread that never writes them (a query worker). */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message.js';
import type { DiskChunk } from '../chunk/chunk-memory.js';
import { readU32 } from './byte-writer.js';
import { fileName } from './chunk-files.js';
import {
  CHUNK_FILE_HEADER_BYTES,
  CHUNK_FILE_MAGIC,
  CHUNK_RECORD_HEADER_BYTES,
  type ChunkRecordHeader,
  chunkBitsIntact,
  MAX_CHUNK_BYTES,
  readChunkHeader,
} from './chunk-record.js';

/** Chunk files a reader keeps open at once; the least recently read is closed first. */
const OPEN_FILES = 64;

interface OpenFile {
  readonly fd: number;
  /** The file's base time, which its chunks' times are relative to. */
  readonly base: number;
}

/** Why a chunk could not be read: its file was deleted (retention), or it fails its checks. */
export type ChunkReadFailure = 'gone' | 'damaged';

/**
 * Reads chunks where a record or entry says they are, and checks them as the writer does: the
 * header's checksum, the series it names, the bits' checksum. A file retention deleted is
 * `gone`, quietly; a chunk that fails its checks is `damaged`, told once with its series.
 *
 * @example
 * ```ts
 * const files = new ChunkFileReader(join(dataDir, 'samples', 'chunks'), console.error);
 * const chunk = files.read(3, 4096, ref); // a DiskChunk, 'gone' or 'damaged'
 * ```
 */
export class ChunkFileReader {
  private readonly files = new Map<number, OpenFile>();
  private readonly scratch = new Uint8Array(CHUNK_RECORD_HEADER_BYTES + MAX_CHUNK_BYTES);
  private readonly header: ChunkRecordHeader = { ref: 0, mint: 0, maxt: 0, count: 0, length: 0 };
  private readonly found = { u8: this.scratch, base: CHUNK_RECORD_HEADER_BYTES, count: 0 };
  private readonly told = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The chunk of series `ref` at `pos` in chunk file `file`; valid until the next read. */
  read(file: number, pos: number, ref: number): DiskChunk | ChunkReadFailure {
    let open: OpenFile | undefined;
    let n: number;
    try {
      open = this.open(file);
      if (open === undefined) return 'gone';
      n = readSync(open.fd, this.scratch, 0, this.scratch.length, pos);
    } catch (err) {
      return this.damaged(file, pos, ref, errorMessage(err));
    }
    const b = this.scratch.subarray(0, n);
    const h = this.header;
    if (
      !readChunkHeader(b, 0, open.base, 0xffffffff, h) ||
      h.ref !== ref ||
      !chunkBitsIntact(b, 0, h.length)
    ) {
      return this.damaged(file, pos, ref, 'it fails its checksum');
    }
    this.found.count = h.count;
    return this.found;
  }

  /** Closes the files numbered below `firstFile`: retention deleted them. */
  closeBefore(firstFile: number): void {
    for (const [seq, open] of this.files) {
      if (seq >= firstFile) continue;
      closeSync(open.fd);
      this.files.delete(seq);
    }
  }

  /** Closes every open file. */
  close(): void {
    this.closeBefore(Number.POSITIVE_INFINITY);
  }

  /** The open file `seq`, opened and its header read if need be; undefined when it is gone. */
  private open(seq: number): OpenFile | undefined {
    const known = this.files.get(seq);
    if (known !== undefined) {
      // Most recently used last.
      this.files.delete(seq);
      this.files.set(seq, known);
      return known;
    }
    let fd: number;
    try {
      fd = openSync(join(this.dir, fileName(seq)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const head = new Uint8Array(CHUNK_FILE_HEADER_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < head.length || readU32(head, 0) !== CHUNK_FILE_MAGIC) {
      closeSync(fd);
      throw new Error('its file has no valid header');
    }
    const base = new DataView(head.buffer).getFloat64(8, true);
    if (this.files.size >= OPEN_FILES) {
      const [oldest, old] = this.files.entries().next().value as [number, OpenFile];
      closeSync(old.fd);
      this.files.delete(oldest);
    }
    const open = { fd, base };
    this.files.set(seq, open);
    return open;
  }

  private damaged(file: number, pos: number, ref: number, why: string): 'damaged' {
    const key = `${file}:${pos}`;
    if (!this.told.has(key)) {
      this.told.add(key);
      this.log(
        `chunk of series ${ref} in chunk file ${fileName(file)} at offset ${pos} is unreadable (${why}); its samples are skipped`,
      );
    }
    return 'damaged';
  }
}
