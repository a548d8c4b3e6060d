/** The write-ahead log: every new series and sample, written at each commit, replayed after a crash. */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../error-message.js';
import type { Labels } from '../../model.js';
import { highBits, lowBits } from '../chunk/float-bits.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { fileName } from './chunk-files.js';
import { beginRecord, endRecord, RecordType, readRecords } from './records.js';
import { StorageError } from './storage-error.js';
import { writeFully } from './write-fully.js';

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
  /** A segment is closed, and a checkpoint taken, once it holds this many bytes. Default 32 MiB. */
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
    this.segmentBytes = options.segmentBytes ?? 32 * 1024 * 1024;
    this.log = options.log ?? (() => {});
    this.seq = (walSegments(dir).at(-1) ?? 0) + 1;
    this.fd = this.openSegment(this.seq);
  }

  series(ref: number, labels: Labels): void {
    const w = this.seriesBuf;
    if (this.openSeries < 0) this.openSeries = beginRecord(w, RecordType.series);
    const names = Object.keys(labels);
    w.uvarint(ref);
    w.uvarint(names.length);
    for (const name of names) {
      w.text(name);
      w.text(labels[name]);
    }
  }

  sample(ref: number, t: number, v: number): void {
    const w = this.main;
    if (this.openMain < 0) {
      this.openMain = beginRecord(w, RecordType.samples);
      w.float(t);
      this.baseT = t;
      this.lastRef = 0;
    }
    w.svarint(ref - this.lastRef);
    this.lastRef = ref;
    w.svarint(t - this.baseT);
    const hi = highBits(v);
    w.bits(hi, lowBits());
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

/** What a WAL replay hands on, record by record, in the order written. */
export interface WalVisitor {
  series(ref: number, labels: Labels): void;
  sample(ref: number, t: number, v: number): void;
  dropped(ref: number): void;
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
    const bytes = readFileSync(path);
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
  const r = new ByteReader(bytes, start, end);
  if (type === RecordType.series) {
    while (!r.done) {
      const ref = r.uvarint();
      const n = r.uvarint();
      const labels: Record<string, string> = {};
      for (let i = 0; i < n; i++) {
        const name = r.text();
        Object.defineProperty(labels, name, { value: r.text(), enumerable: true, writable: true });
      }
      visit.series(ref, labels);
    }
  } else if (type === RecordType.samples) {
    const base = r.float();
    let ref = 0;
    while (!r.done) {
      ref += r.svarint();
      const t = base + r.svarint();
      visit.sample(ref, t, r.float());
    }
  } else if (type === RecordType.dropped) {
    while (!r.done) visit.dropped(r.uvarint());
  }
}
