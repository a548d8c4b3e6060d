/** Sealed chunks on disk: numbered files written front to back, read back by position, dropped whole by retention. */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message.js';
import { MAX_CHUNK_FILE } from '../chunk/chunk-layout.js';
import type { ChunkDisk, DiskChunk } from '../chunk/chunk-memory.js';
import { ByteWriter, readU32, writeU32 } from './byte-writer.js';
import {
  CHUNK_FILE_HEADER_BYTES,
  CHUNK_FILE_MAGIC,
  CHUNK_RECORD_HEADER_BYTES,
  type ChunkRecordHeader,
  chunkBitsIntact,
  MAX_BASE_OFFSET_MS,
  MAX_CHUNK_BYTES,
  readChunkHeader,
  writeChunkHeader,
} from './chunk-record.js';
import { readBytes } from './read-bytes.js';
import { StorageError } from './storage-error.js';
import { writeFully } from './write-fully.js';

/** What is known of one chunk file. */
export interface ChunkFileInfo {
  readonly seq: number;
  /** Chunk times in the file are ms after this. */
  readonly base: number;
  bytes: number;
  /** The newest sample of any chunk in it; retention deletes the file once this is old. */
  maxT: number;
  chunks: number;
}

/** Options of {@link ChunkFiles}. */
export interface ChunkFilesOptions {
  /** A file is closed once it holds this many bytes. Default 64 MiB. */
  readonly fileBytes?: number;
  /** …or once it has been written to for this long, ms. Default 2 h, so retention frees space in 2 h steps. */
  readonly fileAgeMs?: number;
  readonly now?: () => number;
  /** Where damage found on reading is told, once per chunk. */
  readonly log?: (line: string) => void;
}

interface Current {
  readonly info: ChunkFileInfo;
  readonly fd: number;
  readonly openedAt: number;
  /** Bytes known to be in the file; buffered ones follow. */
  size: number;
}

/**
 * A chunk found by {@link ChunkFiles.scan}: its header, where it is, and its bits (at `bitsAt`
 * in `bytes`). One object, reused for every chunk: copy what you keep.
 */
export interface ScannedChunk extends ChunkRecordHeader {
  file: number;
  pos: number;
  bytes: Uint8Array;
  bitsAt: number;
}

const NAME = /^\d{8}$/;

export function fileName(seq: number): string {
  return String(seq).padStart(8, '0');
}

/**
 * The `chunks/` folder. Sealed chunks are buffered and written at each commit, to the newest
 * file only; a file is never written again once closed, so a crash can tear only the tail of the
 * last one. Reads go through `pread` on a small set of open files (the page cache does the
 * caching), and check both checksums.
 *
 * @example
 * ```ts
 * const files = new ChunkFiles(join(dataDir, 'chunks'));
 * memory.disk = files;
 * files.flush(); // at commit
 * ```
 */
export class ChunkFiles implements ChunkDisk {
  /** Every file, oldest first; the last may be the one being written. */
  readonly files: ChunkFileInfo[] = [];
  /** Called with the chunks whose write failed: their series must offer them again. */
  onLost: (lost: readonly [ref: number, file: number, pos: number][]) => void = () => {};
  private current: Current | null = null;
  /** Why the last attempt to start a file failed; told by the next flush. */
  private failure: StorageError | null = null;
  /** Set when a chunk did not fit the current file's times: the next flush closes the file. */
  private rotate = false;
  private readonly pending = new ByteWriter(64 * 1024);
  private pendingChunks: [number, number, number][] = [];
  private nextSeq: number;
  private readonly fileBytes: number;
  private readonly fileAgeMs: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly readFds = new Map<number, number>();
  private readonly scratch = new Uint8Array(CHUNK_RECORD_HEADER_BYTES + MAX_CHUNK_BYTES);
  private readonly header: ChunkRecordHeader = { ref: 0, mint: 0, maxt: 0, count: 0, length: 0 };
  private readonly told = new Set<string>();
  private readonly found = { u8: new Uint8Array(0), base: 0, count: 0 };

  constructor(
    readonly dir: string,
    options: ChunkFilesOptions = {},
  ) {
    this.fileBytes = options.fileBytes ?? 64 * 1024 * 1024;
    this.fileAgeMs = options.fileAgeMs ?? 2 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    const seqs = readdirSync(dir)
      .filter((n) => NAME.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    this.nextSeq = (seqs.at(-1) ?? 0) + 1;
    for (const seq of seqs) this.files.push({ seq, base: 0, bytes: 0, maxT: -Infinity, chunks: 0 });
  }

  /**
   * Reads every file, oldest first, and hands each intact chunk to `each`. A damaged chunk is
   * told to `damaged` (its header names the series) and skipped; an unreadable stretch is
   * skipped to the next intact record with a log line; a torn tail is cut off the file. Refs
   * above `maxRef` cannot be records.
   */
  scan(
    maxRef: number,
    each: (chunk: ScannedChunk) => void,
    damaged: (ref: number, file: number, mint: number, maxt: number) => void,
  ): void {
    const h = this.header;
    const found: ScannedChunk = {
      ref: 0,
      mint: 0,
      maxt: 0,
      count: 0,
      length: 0,
      file: 0,
      pos: 0,
      bytes: new Uint8Array(0),
      bitsAt: 0,
    };
    for (const info of this.files) {
      const path = join(this.dir, fileName(info.seq));
      const b = readBytes(path);
      info.bytes = b.length;
      if (b.length < CHUNK_FILE_HEADER_BYTES || readU32(b, 0) !== CHUNK_FILE_MAGIC) {
        this.log(
          `chunk file ${fileName(info.seq)} has no valid header; its ${b.length} bytes are skipped`,
        );
        continue;
      }
      const base = new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(8, true);
      (info as { base: number }).base = base;
      let at = CHUNK_FILE_HEADER_BYTES;
      while (at < b.length) {
        if (readChunkHeader(b, at, base, maxRef, h)) {
          if (at + CHUNK_RECORD_HEADER_BYTES + h.length > b.length) {
            this.cutTail(info, path, at, b.length);
            break;
          }
          if (chunkBitsIntact(b, at, h.length)) {
            info.chunks++;
            if (h.maxt > info.maxT) info.maxT = h.maxt;
            found.ref = h.ref;
            found.mint = h.mint;
            found.maxt = h.maxt;
            found.count = h.count;
            found.length = h.length;
            found.file = info.seq;
            found.pos = at;
            found.bytes = b;
            found.bitsAt = at + CHUNK_RECORD_HEADER_BYTES;
            each(found);
          } else {
            damaged(h.ref, info.seq, h.mint, h.maxt);
          }
          at += CHUNK_RECORD_HEADER_BYTES + h.length;
          continue;
        }
        const next = this.resync(b, at + 1, base, maxRef);
        if (next < 0) {
          this.cutTail(info, path, at, b.length);
          break;
        }
        this.log(
          `chunk file ${fileName(info.seq)}: ${next - at} unreadable bytes at offset ${at} skipped`,
        );
        at = next;
      }
    }
  }

  /** The next offset from `from` where an intact record starts, or -1. */
  private resync(b: Uint8Array, from: number, base: number, maxRef: number): number {
    const h = this.header;
    for (let p = from; p + CHUNK_RECORD_HEADER_BYTES <= b.length; p++) {
      if (readChunkHeader(b, p, base, maxRef, h) && chunkBitsIntact(b, p, h.length)) return p;
    }
    return -1;
  }

  /** Cuts a torn tail off a file (it is never written again) and says so. */
  private cutTail(info: ChunkFileInfo, path: string, at: number, size: number): void {
    this.log(
      `chunk file ${fileName(info.seq)}: torn tail of ${size - at} bytes at offset ${at} cut off`,
    );
    try {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, at);
      } finally {
        closeSync(fd);
      }
      info.bytes = at;
    } catch (err) {
      this.log(`chunk file ${fileName(info.seq)}: could not cut its tail: ${errorMessage(err)}`);
    }
  }

  write(
    ref: number,
    u8: Uint8Array,
    base: number,
    byteLength: number,
    count: number,
    mint: number,
    maxt: number,
  ): number {
    let cur = this.current;
    if (cur !== null && Math.abs(mint - cur.info.base) > MAX_BASE_OFFSET_MS) {
      // A chunk far from this file's times (an import of old data): the next file takes it.
      this.rotate = true;
      return -1;
    }
    if (cur === null) {
      try {
        cur = this.open(mint);
      } catch (err) {
        this.failure ??= new StorageError(`starting a chunk file failed: ${errorMessage(err)}`, {
          cause: err,
        });
        return -1;
      }
    }
    const w = this.pending;
    const pos = cur.size + w.length;
    w.reserve(CHUNK_RECORD_HEADER_BYTES + byteLength);
    const at = w.length;
    w.bytes.set(u8.subarray(base, base + byteLength), at + CHUNK_RECORD_HEADER_BYTES);
    writeChunkHeader(w.bytes, at, cur.info.base, ref, mint, maxt, count, byteLength);
    w.length = at + CHUNK_RECORD_HEADER_BYTES + byteLength;
    this.pendingChunks.push([ref, cur.info.seq, pos]);
    const info = cur.info;
    info.chunks++;
    if (maxt > info.maxT) info.maxT = maxt;
    return info.seq * 2 ** 32 + pos;
  }

  /**
   * Writes the buffered chunks, then closes the file if it is full or old enough. Throws a
   * `StorageError` when the disk refuses: the file is cut back to what it held, the chunks
   * stay in memory (`onLost` tells their series), and the next write starts a new file.
   */
  flush(): void {
    const failure = this.failure;
    if (failure !== null) {
      this.failure = null;
      throw failure;
    }
    const cur = this.current;
    if (cur === null) return;
    if (this.pending.length > 0) {
      const bytes = this.pending.view();
      try {
        writeFully(cur.fd, bytes, cur.size);
        cur.size += bytes.length;
        cur.info.bytes = cur.size;
      } catch (err) {
        const lost = this.pendingChunks;
        this.pendingChunks = [];
        this.pending.clear();
        this.abandon(cur);
        this.onLost(lost);
        throw new StorageError(`writing a chunk file failed: ${errorMessage(err)}`, { cause: err });
      }
      this.pending.clear();
      this.pendingChunks = [];
    }
    if (this.rotate || cur.size >= this.fileBytes || this.now() - cur.openedAt >= this.fileAgeMs) {
      this.rotate = false;
      this.closeFile(cur);
    }
  }

  /** Forces what was written to the disk itself (before a checkpoint counts on it). */
  sync(): void {
    if (this.current !== null) fsyncSync(this.current.fd);
  }

  read(file: number, pos: number, ref: number): DiskChunk | null {
    const info = this.info(file);
    if (info === undefined) return this.damage(file, pos, ref, 'its file is gone');
    const b = this.scratch;
    let n: number;
    const cur = this.current;
    try {
      if (cur !== null && cur.info.seq === file && pos >= cur.size) {
        // Still in the buffer, not yet written.
        const from = pos - cur.size;
        const view = this.pending.view();
        n = Math.min(b.length, view.length - from);
        b.set(view.subarray(from, from + n));
      } else {
        n = readSync(this.readFd(file), b, 0, b.length, pos);
      }
    } catch (err) {
      return this.damage(file, pos, ref, errorMessage(err));
    }
    const h = this.header;
    if (
      !readChunkHeader(b.subarray(0, n), 0, info.base, 0xffffffff, h) ||
      h.ref !== ref ||
      !chunkBitsIntact(b.subarray(0, n), 0, h.length)
    ) {
      return this.damage(file, pos, ref, 'it fails its checksum');
    }
    const found = this.found;
    found.u8 = b;
    found.base = CHUNK_RECORD_HEADER_BYTES;
    found.count = h.count;
    return found;
  }

  /**
   * Deletes files, oldest first, while `drop(info)` says so; never the one being written.
   * Answers the first file number still kept.
   */
  deleteOldest(drop: (info: ChunkFileInfo, kept: number) => boolean): number {
    let kept = this.files.reduce((sum, f) => sum + f.bytes, 0);
    while (this.files.length > 0) {
      const info = this.files[0];
      if (this.current?.info === info || !drop(info, kept)) break;
      const fd = this.readFds.get(info.seq);
      if (fd !== undefined) {
        closeSync(fd);
        this.readFds.delete(info.seq);
      }
      try {
        unlinkSync(join(this.dir, fileName(info.seq)));
      } catch (err) {
        this.log(`chunk file ${fileName(info.seq)} could not be deleted: ${errorMessage(err)}`);
        break;
      }
      kept -= info.bytes;
      this.files.shift();
    }
    return this.files[0]?.seq ?? this.nextSeq;
  }

  /** Bytes of every chunk file. */
  bytes(): number {
    let total = 0;
    for (const f of this.files) total += f.bytes;
    return total + this.pending.length;
  }

  /** Writes what is buffered, syncs and closes every file. */
  close(): void {
    const cur = this.current;
    if (cur !== null) {
      try {
        this.flush();
      } finally {
        if (this.current === cur) this.closeFile(cur);
      }
    }
    for (const fd of this.readFds.values()) closeSync(fd);
    this.readFds.clear();
  }

  private open(mint: number): Current {
    const seq = this.nextSeq;
    if (seq > MAX_CHUNK_FILE) throw new StorageError('chunk file numbers are used up');
    const path = join(this.dir, fileName(seq));
    const fd = openSync(path, 'wx+');
    const head = Buffer.alloc(CHUNK_FILE_HEADER_BYTES);
    writeU32(head, 0, CHUNK_FILE_MAGIC);
    head.writeDoubleLE(mint, 8);
    try {
      writeSync(fd, head, 0, head.length, 0);
    } catch (err) {
      closeSync(fd);
      unlinkSync(path);
      throw err;
    }
    this.nextSeq = seq + 1;
    const info: ChunkFileInfo = {
      seq,
      base: mint,
      bytes: CHUNK_FILE_HEADER_BYTES,
      maxT: -Infinity,
      chunks: 0,
    };
    this.files.push(info);
    const cur: Current = { info, fd, openedAt: this.now(), size: CHUNK_FILE_HEADER_BYTES };
    this.current = cur;
    return cur;
  }

  private closeFile(cur: Current): void {
    try {
      fsyncSync(cur.fd);
    } catch (err) {
      this.log(`chunk file ${fileName(cur.info.seq)} could not be synced: ${errorMessage(err)}`);
    }
    closeSync(cur.fd);
    if (this.current === cur) this.current = null;
  }

  /** Gives up on a file whose write failed: cut back to what it held, never written again. */
  private abandon(cur: Current): void {
    try {
      ftruncateSync(cur.fd, cur.size);
    } catch {
      // The reader's checksums catch whatever is left past `size`.
    }
    cur.info.bytes = cur.size;
    this.closeFile(cur);
  }

  private info(file: number): ChunkFileInfo | undefined {
    const files = this.files;
    let lo = 0;
    let hi = files.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (files[mid].seq < file) lo = mid + 1;
      else hi = mid;
    }
    return files[lo]?.seq === file ? files[lo] : undefined;
  }

  private readFd(file: number): number {
    const cur = this.current;
    if (cur !== null && cur.info.seq === file) return cur.fd;
    let fd = this.readFds.get(file);
    if (fd !== undefined) {
      // Most recently used last.
      this.readFds.delete(file);
      this.readFds.set(file, fd);
      return fd;
    }
    if (this.readFds.size >= 64) {
      const [oldest, oldFd] = this.readFds.entries().next().value as [number, number];
      closeSync(oldFd);
      this.readFds.delete(oldest);
    }
    fd = openSync(join(this.dir, fileName(file)), 'r');
    this.readFds.set(file, fd);
    return fd;
  }

  private damage(file: number, pos: number, ref: number, why: string): null {
    const key = `${file}:${pos}`;
    if (!this.told.has(key)) {
      this.told.add(key);
      this.log(
        `chunk of series ${ref} in chunk file ${fileName(file)} at offset ${pos} is unreadable (${why}); its samples are skipped`,
      );
    }
    return null;
  }
}
