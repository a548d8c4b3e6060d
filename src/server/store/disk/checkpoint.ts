/** Checkpoints: every series and every open chunk in one file, so the WAL before it can go. */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message.js';
import type { Labels } from '../../model/model.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter, readU32 } from './byte-writer.js';
import { fileName } from './chunk-files.js';
import { readBytes } from './read-bytes.js';
import { beginRecord, endRecord, RecordType, readRecords } from './records.js';

/** "KLK1": a kpi-lights checkpoint, version 1. */
const MAGIC = 0x314b4c4b;
const PREFIX = 'checkpoint.';
const NAME = /^checkpoint\.(\d{8})$/;
/** Series per series record. */
const SERIES_PER_RECORD = 1000;

/** One series as a checkpoint keeps it. */
export interface CheckpointSeries {
  readonly ref: number;
  readonly labels: Labels;
  /** The open chunk's bits, first time and sample count; absent when the series has none. */
  readonly open?: { readonly mint: number; readonly count: number; readonly bits: Uint8Array };
}

/** A checkpoint as read back. */
export interface Checkpoint {
  /** The first WAL segment it does not hold: replay goes on from there. */
  readonly seq: number;
  /** The ref the next new series gets; refs of dropped series are never given again. */
  readonly nextRef: number;
  readonly series: CheckpointSeries[];
}

/** The checkpoint files in `dir`, newest first. */
function checkpoints(dir: string): number[] {
  return readdirSync(dir)
    .map((n) => NAME.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}

/**
 * Writes a checkpoint of `series` for WAL segments before `seq`: to a temporary file, synced,
 * then renamed, so a crash leaves the old checkpoint or the new one, never half of one. Older
 * checkpoints and leftover temporary files are deleted after.
 *
 * @example
 * ```ts
 * writeCheckpoint(dataDir, wal.seq, head.nextSeriesRef, seriesOf(head));
 * ```
 */
export function writeCheckpoint(
  dir: string,
  seq: number,
  nextRef: number,
  series: Iterable<CheckpointSeries>,
): void {
  const name = `${PREFIX}${fileName(seq)}`;
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, 'w');
  const w = new ByteWriter(1024 * 1024);
  let count = 0;
  let opens = 0;
  try {
    w.u32(MAGIC);
    w.u32(0);
    let batch = -1;
    let inBatch = 0;
    const opened: CheckpointSeries[] = [];
    const drain = () => {
      if (w.length > 512 * 1024) {
        writeSync(fd, w.view());
        w.clear();
      }
    };
    for (const s of series) {
      if (batch < 0) batch = beginRecord(w, RecordType.series);
      w.uvarint(s.ref);
      w.labels(s.labels);
      count++;
      if (s.open) opened.push(s);
      if (++inBatch === SERIES_PER_RECORD) {
        endRecord(w, batch);
        batch = -1;
        inBatch = 0;
        drain();
      }
    }
    if (batch >= 0) endRecord(w, batch);
    for (const s of opened) {
      const o = s.open!;
      const at = beginRecord(w, RecordType.open);
      w.uvarint(s.ref);
      w.float(o.mint);
      w.uvarint(o.count);
      w.uvarint(o.bits.length);
      w.raw(o.bits);
      endRecord(w, at);
      opens++;
      drain();
    }
    const end = beginRecord(w, RecordType.end);
    w.uvarint(count);
    w.uvarint(opens);
    w.uvarint(nextRef);
    endRecord(w, end);
    writeSync(fd, w.view());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  syncDir(dir);
  for (const old of checkpoints(dir)) {
    if (old < seq) unlinkSync(join(dir, `${PREFIX}${fileName(old)}`));
  }
}

/**
 * Reads the newest checkpoint in `dir`, or answers null without one. A checkpoint that fails a
 * checksum or lacks its end is not used; `log` says so, and the one before it (if any) is tried.
 * Leftover temporary files are deleted.
 *
 * @example
 * ```ts
 * const cp = readCheckpoint(dataDir, console.error);
 * ```
 */
export function readCheckpoint(dir: string, log: (line: string) => void): Checkpoint | null {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith('.tmp')) unlinkSync(join(dir, name));
  }
  for (const seq of checkpoints(dir)) {
    const path = join(dir, `${PREFIX}${fileName(seq)}`);
    try {
      return parse(readBytes(path), seq);
    } catch (err) {
      log(`checkpoint ${fileName(seq)} is unusable (${errorMessage(err)}); trying an older one`);
    }
  }
  return null;
}

function parse(bytes: Uint8Array, seq: number): Checkpoint {
  if (bytes.length < 8 || readU32(bytes, 0) !== MAGIC) throw new Error('no checkpoint header');
  const series: CheckpointSeries[] = [];
  const byRef = new Map<number, number>();
  let end: { count: number; opens: number; nextRef: number } | null = null;
  let opens = 0;
  const damage = readRecords(bytes, 8, ({ type, start, end: stop }) => {
    const r = new ByteReader(bytes, start, stop);
    if (type === RecordType.series) {
      while (!r.done) {
        const ref = r.uvarint();
        const labels = r.labels();
        byRef.set(ref, series.length);
        series.push({ ref, labels });
      }
    } else if (type === RecordType.open) {
      const ref = r.uvarint();
      const mint = r.float();
      const count = r.uvarint();
      const bits = r.raw(r.uvarint()).slice();
      const i = byRef.get(ref);
      if (i === undefined) throw new Error(`an open chunk of unknown series ${ref}`);
      series[i] = { ref, labels: series[i].labels, open: { mint, count, bits } };
      opens++;
    } else if (type === RecordType.end) {
      end = { count: r.uvarint(), opens: r.uvarint(), nextRef: r.uvarint() };
    }
  });
  if (damage !== null) throw new Error(`${damage.reason} at offset ${damage.offset}`);
  const e = end as { count: number; opens: number; nextRef: number } | null;
  if (e === null) throw new Error('it has no end record');
  if (e.count !== series.length || e.opens !== opens) throw new Error('its counts do not match');
  return { seq, nextRef: e.nextRef, series };
}

/** Makes a rename in `dir` durable (where the platform allows opening a folder). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot sync a folder; the rename is still atomic.
  }
}
