/** The write-ahead log: every new series and sample, written at each commit, replayed after a crash. */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message.js';
import type { Labels } from '../../model/model.js';
import { highBits, lowBits } from '../chunk/float-bits.js';
import { ByteReader, FormatError } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { fileName } from './chunk-files.js';
import { readBytes } from './read-bytes.js';
import { beginRecord, endRecord, RecordType, readRecords } from './records.js';
import { StorageError } from './storage-error.js';
import { writeFully } from './write-fully.js';

/** The most bytes one sample takes in a record: two varints of up to 8 bytes, and the value. */
const MAX_SAMPLE_BYTES = 8 + 8 + 8;

/**
 * Writes `x` zig-zag coded as `ByteWriter.svarint` does, at `at` in `b` (which has room);
 * answers where it ended. Small numbers, the usual case, take the int32 path.
 */
function putZigZag(b: Uint8Array, at: number, x: number): number {
  let z = x < 0 ? -2 * x - 1 : 2 * x;
  if (z < 0x80000000) {
    while (z >= 0x80) {
      b[at++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    b[at++] = z;
    return at;
  }
  while (z >= 0x80) {
    b[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  b[at++] = z;
  return at;
}

/** A samples record is closed at about this size, so a reader never holds a huge one. */
const RECORD_TARGET_BYTES = 1024 * 1024;

const NAME = /^\d{8}$/;

/** The segment numbers in `dir`, ascending. */
export function walSegments(dir: string): number[] {
  return readdirSync(dir)
    .filter((n) => NAME.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Options of {@link WalWriter}. */
export interface WalOptions {
  /** A segment is closed, and a checkpoint taken, once it holds this many bytes. Default 16 MiB. */
  readonly segmentBytes?: number;
  readonly log?: (line: string) => void;
}

/**
 * Appends records to numbered segment files. `series`, `sample` and `dropped` only buffer;
 * `flush` writes them in one system call, new series first, so a crash loses at most what came
 * since the last flush. A new writer always starts a new segment.
 *
 * @example
 * ```ts
 * const wal = new WalWriter(join(dataDir, 'wal'));
 * wal.sample(ref, Date.now(), 1);
 * wal.flush();
 * ```
 */
export class WalWriter {
  /** The segment being written. */
  seq: number;
  /** Called after a full segment was closed and the next one opened. */
  onRotate: (seq: number) => void = () => {};
  /** Samples whose records a failed write dropped (they stay in memory). */
  lostSamples = 0;
  private fd: number;
  private size = 0;
  /** Set when a failed write could not be cut back: the next flush starts a new segment. */
  private broken = false;
  private readonly seriesBuf = new ByteWriter(16 * 1024);
  private readonly main = new ByteWriter(256 * 1024);
  private openSeries = -1;
  private openMain = -1;
  private baseT = 0;
  private lastRef = 0;
  private pendingSamples = 0;
  private readonly segmentBytes: number;
  private readonly log: (line: string) => void;

  constructor(
    readonly dir: string,
    options: WalOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
    this.log = options.log ?? (() => {});
    this.seq = (walSegments(dir).at(-1) ?? 0) + 1;
    this.fd = this.openSegment(this.seq);
  }

  series(ref: number, labels: Labels): void {
    const w = this.seriesBuf;
    if (this.openSeries < 0) this.openSeries = beginRecord(w, RecordType.series);
    w.uvarint(ref);
    w.labels(labels);
  }

  sample(ref: number, t: number, v: number): void {
    const w = this.main;
    if (this.openMain < 0) {
      this.openMain = beginRecord(w, RecordType.samples);
      w.float(t);
      this.baseT = t;
      this.lastRef = 0;
    }
    // Written in place: two zig-zag varints (most a byte each: refs of a scrape come in
    // order, and its samples share a time) and the value's eight bytes.
    w.reserve(MAX_SAMPLE_BYTES);
    const b = w.bytes;
    let at = w.length;
    const dRef = ref - this.lastRef;
    this.lastRef = ref;
    at = putZigZag(b, at, dRef);
    at = putZigZag(b, at, t - this.baseT);
    const hi = highBits(v);
    const lo = lowBits();
    b[at] = lo;
    b[at + 1] = lo >>> 8;
    b[at + 2] = lo >>> 16;
    b[at + 3] = lo >>> 24;
    b[at + 4] = hi;
    b[at + 5] = hi >>> 8;
    b[at + 6] = hi >>> 16;
    b[at + 7] = hi >>> 24;
    w.length = at + 8;
    this.pendingSamples++;
    if (w.length - this.openMain > RECORD_TARGET_BYTES) {
      endRecord(w, this.openMain);
      this.openMain = -1;
    }
  }

  dropped(refs: readonly number[]): void {
    const w = this.main;
    if (this.openMain >= 0) {
      endRecord(w, this.openMain);
      this.openMain = -1;
    }
    const at = beginRecord(w, RecordType.dropped);
    for (const ref of refs) w.uvarint(ref);
    endRecord(w, at);
  }

  /** Bytes waiting for the next flush. */
  get buffered(): number {
    return this.seriesBuf.length + this.main.length;
  }

  /**
   * Writes what is buffered. Throws a `StorageError` when the disk refuses; what was buffered
   * is then dropped from the log (the samples stay in memory) and the segment is cut back.
   */
  flush(): void {
    if (this.openSeries >= 0) {
      endRecord(this.seriesBuf, this.openSeries);
      this.openSeries = -1;
    }
    if (this.openMain >= 0) {
      endRecord(this.main, this.openMain);
      this.openMain = -1;
    }
    const total = this.seriesBuf.length + this.main.length;
    if (total === 0) return;
    try {
      if (this.broken) this.rotate();
      let written = writevSync(this.fd, [this.seriesBuf.view(), this.main.view()], this.size);
      if (written < total) {
        // A short write (the disk filled up meanwhile): the rest, so the disk says why.
        const rest = Buffer.concat([this.seriesBuf.view(), this.main.view()]).subarray(written);
        written += writeFully(this.fd, rest, this.size + written);
      }
      this.size += total;
    } catch (err) {
      this.lostSamples += this.pendingSamples;
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        this.broken = true;
      }
      throw new StorageError(`writing the write-ahead log failed: ${errorMessage(err)}`, {
        cause: err,
      });
    } finally {
      this.seriesBuf.clear();
      this.main.clear();
      this.pendingSamples = 0;
    }
    if (this.size >= this.segmentBytes) {
      this.rotate();
      this.onRotate(this.seq);
    }
  }

  /** Closes the segment being written and opens the next one. */
  rotate(): void {
    try {
      fsyncSync(this.fd);
    } catch (err) {
      this.log(
        `write-ahead log segment ${fileName(this.seq)} could not be synced: ${errorMessage(err)}`,
      );
    }
    closeSync(this.fd);
    const next = this.seq + 1;
    this.fd = this.openSegment(next);
    this.seq = next;
    this.size = 0;
    this.broken = false;
  }

  /** Deletes the segments before `seq` (a checkpoint holds what they held). */
  deleteBefore(seq: number): void {
    deleteSegmentsBefore(this.dir, seq, this.log);
  }

  /** Bytes of the segments on disk. */
  bytes(): number {
    return this.size;
  }

  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }

  private openSegment(seq: number): number {
    return openSync(join(this.dir, fileName(seq)), 'w');
  }
}

/** Deletes the segments in `dir` numbered below `seq`. */
export function deleteSegmentsBefore(dir: string, seq: number, log: (line: string) => void): void {
  for (const s of walSegments(dir)) {
    if (s >= seq) break;
    try {
      unlinkSync(join(dir, fileName(s)));
    } catch (err) {
      log(`write-ahead log segment ${fileName(s)} could not be deleted: ${errorMessage(err)}`);
    }
  }
}

/**
 * What a WAL replay hands on, record by record, in the order written. A kind without a
 * handler is skipped undecoded.
 */
export interface WalVisitor {
  series?(ref: number, labels: Labels): void;
  /** A sample, its value as the two 32-bit halves of its bits (a NaN's payload kept). */
  sample?(ref: number, t: number, hi: number, lo: number): void;
  dropped?(ref: number): void;
}

/**
 * Reads the segments numbered `from` and up, oldest first. A record cut short or failing its
 * checksum ends its segment; with `repair`, the rest of that file is cut off with a log line (it
 * can only be a write torn by a crash, or damage). The next segment is read either way.
 *
 * @example
 * ```ts
 * replayWal(walDir, checkpointSeq, { series, sample, dropped }, console.error, true);
 * ```
 */
export function replayWal(
  dir: string,
  from: number,
  visit: WalVisitor,
  log: (line: string) => void,
  repair: boolean,
): void {
  for (const seq of walSegments(dir)) {
    if (seq < from) continue;
    const path = join(dir, fileName(seq));
    const bytes = readBytes(path);
    let bad: string | null = null;
    const damage = readRecords(bytes, 0, (record) => {
      if (bad !== null) return;
      try {
        replayRecord(bytes, record.type, record.start, record.end, visit);
      } catch (err) {
        bad = errorMessage(err);
      }
    });
    if (!repair) continue;
    if (bad !== null) {
      log(`write-ahead log segment ${fileName(seq)}: a record could not be read (${bad})`);
    }
    if (damage === null) continue;
    log(
      `write-ahead log segment ${fileName(seq)}: ${damage.reason} at offset ${damage.offset}; ` +
        `the last ${bytes.length - damage.offset} bytes are cut off`,
    );
    try {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, damage.offset);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      log(`write-ahead log segment ${fileName(seq)} could not be cut: ${errorMessage(err)}`);
    }
  }
}

function replayRecord(
  bytes: Uint8Array,
  type: number,
  start: number,
  end: number,
  visit: WalVisitor,
): void {
  if (type === RecordType.samples) {
    if (visit.sample !== undefined) replaySamples(bytes, start, end, visit.sample);
    return;
  }
  const r = new ByteReader(bytes, start, end);
  if (type === RecordType.series && visit.series !== undefined) {
    while (!r.done) {
      const ref = r.uvarint();
      visit.series(ref, r.labels());
    }
  } else if (type === RecordType.dropped && visit.dropped !== undefined) {
    while (!r.done) visit.dropped(r.uvarint());
  }
}

/** Decodes a samples record in place: the hot loop of a replay. */
function replaySamples(
  b: Uint8Array,
  start: number,
  end: number,
  sample: (ref: number, t: number, hi: number, lo: number) => void,
): void {
  const r = new ByteReader(b, start, end);
  const base = r.float();
  let at = r.at;
  let ref = 0;
  while (at < end) {
    // Two zig-zag varints, then the value's halves; a varint past the record is damage.
    let z = 0;
    let scale = 1;
    for (;;) {
      if (at >= end) throw new FormatError('a sample runs past its record');
      const byte = b[at++];
      z += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    ref += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    z = 0;
    scale = 1;
    for (;;) {
      if (at >= end) throw new FormatError('a sample runs past its record');
      const byte = b[at++];
      z += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    const t = base + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    if (at + 8 > end) throw new FormatError('a sample runs past its record');
    const lo = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
    const hi = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
    at += 8;
    sample(ref, t, hi, lo);
  }
}
