/** The durable sample store: a head over compressed chunks, full chunks in files, the rest in a write-ahead log. */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message.js';
import { withDefaults } from '../../../shared/with-defaults.js';
import type { Labels } from '../../model/model.js';
import { XorDecoder } from '../chunk/xor-decoder.js';
import { createHead, type HeadJournal, type MemoryHead } from '../memory-head.js';
import type { SeriesRef } from '../types.js';
import { type CheckpointSeries, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { ChunkFiles } from './chunk-files.js';
import { lockDataDir } from './data-lock.js';
import { DEFAULT_RETENTION_MS } from './retention.js';
import { StorageError } from './storage-error.js';
import { deleteSegmentsBefore, replayWal, WalWriter, walSegments } from './wal.js';

export { DEFAULT_RETENTION_MS };

/** Options of {@link openSampleStorage}; only `dir` is required. */
export interface SampleStorageOptions {
  /** The folder; created if missing. */
  readonly dir: string;
  /** Samples older than this are dropped, ms. Default {@link DEFAULT_RETENTION_MS}. */
  readonly retentionMs?: number;
  /** The oldest chunk files go while the folder holds more than this; 0 = no size limit. */
  readonly maxBytes?: number;
  /** Full chunks newer than this stay in memory too, ms. Default 2 h. */
  readonly memoryWindowMs?: number;
  /** The head's series limit (`--max-series`); see `HeadOptions`. */
  readonly maxSeries?: number;
  /**
   * WAL segment size; a full segment triggers a checkpoint, so this bounds what a start replays
   * from the WAL (~1.5 M samples at 16 MiB). Default 16 MiB.
   */
  readonly walSegmentBytes?: number;
  /** Chunk file size. Default 64 MiB. */
  readonly chunkFileBytes?: number;
  /** A checkpoint is taken at least this often, ms, so replay stays short. Default 2 h. */
  readonly checkpointEveryMs?: number;
  /** The clock of retention, memory window and file rotation. Default `Date.now`. */
  readonly now?: () => number;
  /** Where replay and damage reports go, one line each. Default `console.error`. */
  readonly log?: (line: string) => void;
  /**
   * Keep a write-ahead log. Default true; `false` is for a bulk import, which writes whole
   * chunks and a checkpoint when it closes.
   */
  readonly wal?: boolean;
}

/** The settings a server passes on: plain data, so they can cross to the engine worker. */
export type StorageSettings = Pick<
  SampleStorageOptions,
  'dir' | 'retentionMs' | 'maxBytes' | 'memoryWindowMs'
>;

const DEFAULTS = {
  retentionMs: DEFAULT_RETENTION_MS,
  maxBytes: 0,
  memoryWindowMs: 2 * 60 * 60 * 1000,
  maxSeries: undefined as number | undefined,
  walSegmentBytes: 16 * 1024 * 1024,
  chunkFileBytes: 64 * 1024 * 1024,
  checkpointEveryMs: 2 * 60 * 60 * 1000,
  now: Date.now as () => number,
  log: ((line: string) => console.error(line)) as (line: string) => void,
  wal: true,
};

/** What a start found on disk and put back. */
export interface ReplayReport {
  readonly series: number;
  /** Samples held after the replay. */
  readonly samples: number;
  /** Chunks read from chunk files, and samples re-appended from the checkpoint and the WAL. */
  readonly chunksRead: number;
  readonly samplesReplayed: number;
  /** Chunks that failed a checksum, and the series they belonged to. */
  readonly damagedChunks: number;
  readonly damagedSeries: number;
  readonly durationMs: number;
}

/** Disk figures of the store. */
export interface StorageStats {
  /** Bytes of chunk files, WAL segments and the checkpoint together. */
  readonly diskBytes: number;
  readonly chunkFileBytes: number;
  readonly walBytes: number;
  readonly chunkFiles: number;
  /** Samples whose WAL records a failed write dropped (they stayed in memory). */
  readonly lostSamples: number;
  /** The last write failure, or null once writes work again. */
  readonly lastWriteError: string | null;
}

/**
 * The store behind a server's `--data-dir`. Opening it replays what is on disk into a head:
 * every chunk file's chunks (by reference; the recent ones are also copied into memory), the
 * newest checkpoint's series and open chunks, and the WAL after it. Then the head's journal is
 * this store: each new series and sample goes to the WAL, full chunks go to chunk files, and
 * `commit` (the scraper calls it after each scrape) writes both, so a crash loses at most
 * what came after the last commit.
 *
 * @example
 * ```ts
 * const storage = openSampleStorage({ dir: join(dataDir, 'samples') });
 * const ref = storage.head.getOrCreate({ __name__: 'up', job: 'api' });
 * storage.head.append(ref, Date.now(), 1);
 * storage.head.commit();
 * storage.close();
 * ```
 */
export class SampleStorage implements HeadJournal {
  readonly head: MemoryHead;
  readonly replay: ReplayReport;
  private readonly options: typeof DEFAULTS & { dir: string };
  private readonly chunks: ChunkFiles;
  private wal: WalWriter | null = null;
  private readonly release: () => void;
  private lastCheckpoint: number;
  private lastWriteError: string | null = null;
  private closed = false;

  constructor(options: SampleStorageOptions) {
    const o = { ...withDefaults(DEFAULTS, options), dir: options.dir };
    if (!(o.retentionMs > 0)) throw new RangeError(`retention must be > 0, got ${o.retentionMs}`);
    this.options = o;
    const started = performance.now();
    mkdirSync(join(o.dir, 'chunks'), { recursive: true });
    mkdirSync(join(o.dir, 'wal'), { recursive: true });
    this.release = lockDataDir(o.dir);
    try {
      this.head = createHead({
        retentionMs: o.retentionMs,
        ...(o.maxSeries !== undefined && { maxSeries: o.maxSeries }),
      });
      this.chunks = new ChunkFiles(join(o.dir, 'chunks'), {
        fileBytes: o.chunkFileBytes,
        now: o.now,
        log: o.log,
      });
      this.head.memory.disk = this.chunks;
      this.chunks.onLost = (lost) => {
        for (const [ref, file, pos] of lost) {
          this.head.seriesSamples(ref)?.forgetDiskCopy(this.head.memory, file, pos);
        }
      };
      this.replay = this.load(started);
      this.lastCheckpoint = o.now();
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** How long samples are kept, ms. */
  get retentionMs(): number {
    return this.options.retentionMs;
  }

  /** Replays the folder into the head, then starts a fresh WAL segment and checkpoint. */
  private load(started: number): ReplayReport {
    const o = this.options;
    const head = this.head;
    const walDir = join(o.dir, 'wal');
    const quiet = () => {};
    const cp = readCheckpoint(o.dir, o.log);
    for (const s of cp?.series ?? []) head.restoreSeries(s.ref, s.labels);
    if (cp !== null) head.reserveRefs(cp.nextRef);
    const from = cp?.seq ?? 0;
    // Pass 1 over the WAL: the series, so the chunk files' chunks find theirs.
    replayWal(
      walDir,
      from,
      {
        series: (ref, labels) => this.restore(ref, labels),
        dropped: (ref) => head.dropSeries([ref]),
      },
      quiet,
      false,
    );
    const { chunksRead, damagedChunks, damagedSeries } = this.adoptChunkFiles();
    // The checkpoint's open chunks, then the WAL's samples after what the chunks hold.
    const fromCheckpoint = this.replayOpenChunks(cp?.series ?? []);
    const samplesReplayed = fromCheckpoint + this.replayWalSamples(from);
    const now = o.now();
    this.applyRetention(now);
    // Chunks sealed while replaying are written before the checkpoint counts on them.
    this.chunks.flush();
    this.chunks.sync();
    if (o.wal) {
      this.wal = new WalWriter(walDir, { segmentBytes: o.walSegmentBytes, log: o.log });
      this.wal.onRotate = () => this.checkpoint();
    }
    this.writeCheckpoint();
    head.journal = this;
    const stats = head.stats();
    const report: ReplayReport = {
      series: stats.series,
      samples: stats.samples,
      chunksRead,
      samplesReplayed,
      damagedChunks,
      damagedSeries,
      durationMs: performance.now() - started,
    };
    if (stats.series > 0 || damagedChunks > 0) {
      o.log(
        `samples: replayed ${report.series} series, ${report.samples} samples ` +
          `(${chunksRead} chunks from files, ${samplesReplayed} samples from the checkpoint and WAL) ` +
          `in ${Math.round(report.durationMs)} ms` +
          (damagedChunks > 0 ? `; ${damagedChunks} damaged chunks dropped` : ''),
      );
    }
    return report;
  }

  /** The chunk files' sealed chunks, adopted by their series; damaged ones are dropped and told. */
  private adoptChunkFiles(): { chunksRead: number; damagedChunks: number; damagedSeries: number } {
    const o = this.options;
    const head = this.head;
    const mem = head.memory;
    let chunksRead = 0;
    let damagedChunks = 0;
    const damaged = new Set<SeriesRef>();
    const hotFrom = o.now() - o.memoryWindowMs;
    this.chunks.scan(
      head.nextSeriesRef - 1,
      (c) => {
        const s = head.seriesSamples(c.ref);
        // Chunks of series dropped before the checkpoint wait for their file's retention.
        if (s === undefined || c.maxt <= s.newestT) return;
        s.adoptSealed(
          mem,
          c.bytes,
          c.bitsAt,
          c.length,
          c.count,
          c.mint,
          c.maxt,
          c.file,
          c.pos,
          c.maxt >= hotFrom,
        );
        chunksRead++;
      },
      (ref, file, mint, maxt) => {
        damagedChunks++;
        const s = head.seriesSamples(ref);
        if (s === undefined) return;
        s.damaged = true;
        damaged.add(ref);
        o.log(
          `chunk file ${String(file).padStart(8, '0')}: a chunk of ${describe(head.labels(ref))} ` +
            `from ${new Date(mint).toISOString()} to ${new Date(maxt).toISOString()} fails its checksum; ` +
            'its samples are dropped, the rest of the series is kept',
        );
      },
    );
    return { chunksRead, damagedChunks, damagedSeries: damaged.size };
  }

  /** The checkpoint's open chunks, unless a chunk file already holds them sealed; samples added. */
  private replayOpenChunks(series: readonly CheckpointSeries[]): number {
    const head = this.head;
    const mem = head.memory;
    const dec = new XorDecoder();
    let added = 0;
    for (const s of series) {
      const held = head.seriesSamples(s.ref);
      if (s.open === undefined || held === undefined || s.open.mint <= held.newestT) continue;
      dec.reset(s.open.bits, 0, s.open.count, s.open.mint);
      while (dec.next()) {
        if (dec.t <= held.newestT) continue;
        held.addBits(mem, s.ref, dec.t, dec.vHi, dec.vLo);
        added++;
      }
    }
    return added;
  }

  /** Pass 2 over the WAL: the samples after what the chunks and the checkpoint already hold. */
  private replayWalSamples(from: number): number {
    const head = this.head;
    const mem = head.memory;
    let added = 0;
    replayWal(
      join(this.options.dir, 'wal'),
      from,
      {
        sample: (ref, t, hi, lo) => {
          const series = head.seriesSamples(ref);
          if (series === undefined || !(t > series.newestT)) return;
          series.addBits(mem, ref, t, hi, lo);
          added++;
        },
      },
      this.options.log,
      true,
    );
    return added;
  }

  /** A series from the WAL; one still held under its labels is an older incarnation. */
  private restore(ref: SeriesRef, labels: Labels): void {
    const head = this.head;
    if (ref < head.nextSeriesRef) return;
    if (head.has(labels)) {
      const old = head.getRef(labels);
      if (old !== undefined) head.dropSeries([old]);
    }
    head.restoreSeries(ref, labels);
  }

  series(ref: SeriesRef, labels: Labels): void {
    this.wal?.series(ref, labels);
  }

  sample(ref: SeriesRef, t: number, v: number): void {
    const wal = this.wal;
    if (wal !== null) wal.sample(ref, t, v);
  }

  dropped(refs: readonly SeriesRef[]): void {
    this.wal?.dropped(refs);
  }

  /**
   * Writes the full chunks and WAL records buffered since the last commit. Throws a
   * `StorageError` with the reason when the disk refuses; everything stays in memory and
   * readable, and the next commit tries again with what comes next.
   */
  commit(): void {
    let failure: unknown = null;
    try {
      this.chunks.flush();
    } catch (err) {
      failure = err;
    }
    try {
      this.wal?.flush();
    } catch (err) {
      failure ??= err;
    }
    if (failure !== null) {
      this.lastWriteError = errorMessage(failure);
      throw failure instanceof StorageError
        ? failure
        : new StorageError(errorMessage(failure), { cause: failure });
    }
    this.lastWriteError = null;
  }

  /**
   * Drops what retention no longer keeps (samples older than the retention, then the oldest
   * chunk files while over `maxBytes`), lets go of memory copies older than the memory window,
   * and takes a checkpoint when one is due. Called about once a minute.
   */
  applyRetention(now = this.options.now()): void {
    const o = this.options;
    const head = this.head;
    const cutoff = now - o.retentionMs;
    head.truncate(cutoff);
    const others = this.walBytes() + this.checkpointBytes();
    const first = this.chunks.deleteOldest(
      (info, kept) => info.maxT < cutoff || (o.maxBytes > 0 && kept + others > o.maxBytes),
    );
    head.dropFilesBefore(first);
    head.evictBefore(now - o.memoryWindowMs);
    if (this.wal !== null && head.journal === this) {
      try {
        this.commit();
        if (now - this.lastCheckpoint >= o.checkpointEveryMs) this.checkpoint();
      } catch (err) {
        o.log(`samples: ${errorMessage(err)}`);
      }
    }
  }

  /**
   * Writes everything buffered, syncs the chunk files, starts a new WAL segment and writes a
   * checkpoint of every series and open chunk; the WAL segments before it are then deleted.
   */
  checkpoint(): void {
    this.commit();
    this.chunks.sync();
    this.wal?.rotate();
    this.writeCheckpoint();
  }

  private writeCheckpoint(): void {
    const o = this.options;
    const seq = this.wal?.seq ?? (walSegments(join(o.dir, 'wal')).at(-1) ?? 0) + 1;
    writeCheckpoint(o.dir, seq, this.head.nextSeriesRef, checkpointSeries(this.head));
    deleteSegmentsBefore(join(o.dir, 'wal'), seq, o.log);
    this.lastCheckpoint = o.now();
  }

  stats(): StorageStats {
    const chunkFileBytes = this.chunks.bytes();
    const walBytes = this.walBytes();
    return {
      diskBytes: chunkFileBytes + walBytes + this.checkpointBytes(),
      chunkFileBytes,
      walBytes,
      chunkFiles: this.chunks.files.length,
      lostSamples: this.wal?.lostSamples ?? 0,
      lastWriteError: this.lastWriteError,
    };
  }

  private walBytes(): number {
    return sizeOf(join(this.options.dir, 'wal'), (n) => /^\d{8}$/.test(n));
  }

  private checkpointBytes(): number {
    return sizeOf(this.options.dir, (n) => n.startsWith('checkpoint.'));
  }

  /**
   * Writes what is buffered, takes a checkpoint (so the next start replays little), closes
   * the files and lets go of the folder. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.checkpoint();
    } catch (err) {
      this.options.log(`samples: the closing checkpoint failed: ${errorMessage(err)}`);
    }
    this.head.journal = null;
    try {
      this.chunks.close();
      this.wal?.close();
    } finally {
      this.release();
    }
  }
}

/** Every series of the head as a checkpoint keeps it, in ref order. */
function* checkpointSeries(head: MemoryHead): IterableIterator<CheckpointSeries> {
  for (const [ref, labels, s] of head.allSeries()) {
    yield s.count > 0
      ? {
          ref,
          labels,
          open: { mint: s.t0, count: s.count, bits: s.u8.subarray(s.base, s.base + s.byteLength) },
        }
      : { ref, labels };
  }
}

function sizeOf(dir: string, match: (name: string) => boolean): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (!match(name)) continue;
    try {
      total += statSync(join(dir, name)).size;
    } catch {
      // Deleted meanwhile.
    }
  }
  return total;
}

/** `{__name__="up", job="api"}`, for log lines. */
function describe(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

/**
 * Opens the store in `options.dir`, replaying what is there; throws a `StorageError` when
 * another live process holds the folder.
 *
 * @example
 * ```ts
 * const storage = openSampleStorage({ dir: 'data/samples', retentionMs: 15 * 86_400_000 });
 * ```
 */
export function openSampleStorage(options: SampleStorageOptions): SampleStorage {
  return new SampleStorage(options);
}
