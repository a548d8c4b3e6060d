/** A reader's view of a head that another thread writes: its own label index, the writer's chunks read in place. */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { LabelMatcher, Labels } from '../../model/model.js';
import { type Arena, arenaViews } from '../chunk/arena-table.js';
import type { DiskChunk } from '../chunk/chunk-memory.js';
import { EMPTY_RUN, readRange } from '../chunk-walk.js';
import { ChunkFileReader, type ChunkReadFailure } from '../disk/chunk-file-reader.js';
import { seriesKey, sortedPairs, stringBytes } from '../label-interner.js';
import { SeriesCursor } from '../sample-cursor.js';
import { SeriesIndex } from '../series-index.js';
import type { HeadReader, SampleCursor, SampleRun, SeriesRef, SeriesView } from '../types.js';
import type { FeedMessage } from './feed-messages.js';
import type { HeadShare } from './head-share.js';
import { type SharedMemory, SharedSeries } from './shared-series.js';

/** A series as the view knows it: labels, and where its record is. */
interface ViewSeries {
  readonly ref: SeriesRef;
  readonly key: string;
  readonly labels: Labels;
  readonly record: number;
}

/** A view series (header, four fields) and its entries in the by-ref and by-key maps. */
const VIEW_SERIES_BYTES = 24 + 4 * 8 + 2 * 40;

/** Options of {@link HeadView}. */
export interface HeadViewOptions {
  /** The port the writer's `HeadFeed` tells this reader on. */
  readonly port: MessagePort;
  readonly share: HeadShare;
  /** This reader's number, 0 ≤ reader < `MAX_READERS`: its pin in the share. */
  readonly reader: number;
  /** The chunk files, for chunks that left memory; absent for a head kept in memory only. */
  readonly chunkDir?: string;
  /** Where a damaged chunk is told. */
  readonly log?: (line: string) => void;
}

/**
 * Answers the PromQL engine's reads in a thread other than the head's writer. Series and their
 * labels come by message (an index of its own, built from the writer's feed); samples are read
 * in place from the writer's shared arenas, through each series' record, and from the chunk
 * files for chunks no longer in memory. Between `begin` and `end` (one query) the reader holds
 * an epoch, so nothing it reads is reused under it.
 *
 * @example
 * ```ts
 * const view = new HeadView({ port, share: new HeadShare(buffer), reader: 1, chunkDir });
 * await view.attached;
 * view.begin();
 * try { engine.instant('up', Date.now()) } finally { view.end() }
 * ```
 */
export class HeadView implements HeadReader, SharedMemory {
  /** Resolves once the writer's snapshot has arrived. */
  readonly attached: Promise<void>;
  private readonly index = new SeriesIndex<ViewSeries>();
  private readonly arenas: (Arena | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly files: ChunkFileReader | null;
  private readonly port: MessagePort;
  private readonly share: HeadShare;
  private readonly reader: number;
  private onAttached: () => void = () => {};

  constructor(options: HeadViewOptions) {
    this.port = options.port;
    this.share = options.share;
    this.reader = options.reader;
    const log = options.log ?? ((line: string) => console.error(line));
    this.files = options.chunkDir === undefined ? null : new ChunkFileReader(options.chunkDir, log);
    this.attached = new Promise((resolve) => {
      this.onAttached = resolve;
    });
    // Between queries the writer's messages are taken as they come; `begin` takes the rest.
    this.port.on('message', (m: FeedMessage) => this.apply(m));
  }

  /** Holds the epoch and takes in every message the writer sent before it: call before reading. */
  begin(): void {
    this.share.pin(this.reader);
    this.drain();
  }

  /** Lets go of the epoch: what this reader read may now be reused. */
  end(): void {
    this.share.unpin(this.reader);
  }

  select(matchers: readonly LabelMatcher[]): SeriesView[] {
    return this.index.select(matchers).map((s) => ({ ref: s.ref, labels: s.labels }));
  }

  samples(ref: SeriesRef, mintMs: number, maxtMs: number): SampleRun {
    const series = this.index.byRef.get(ref);
    if (series === undefined) return EMPTY_RUN;
    return readRange(new SharedSeries(this, ref, series.record), this.clampMint(mintMs), maxtMs);
  }

  cursor(ref: SeriesRef, mintMs: number, maxtMs: number): SampleCursor {
    const series = this.index.byRef.get(ref);
    const walk = series === undefined ? undefined : new SharedSeries(this, ref, series.record);
    return new SeriesCursor(walk, this.clampMint(mintMs), maxtMs);
  }

  labelNames(): string[] {
    return this.index.labelNames();
  }

  labelValues(name: string): string[] {
    return this.index.labelValues(name);
  }

  /** Series the view knows. */
  get seriesCount(): number {
    return this.index.size;
  }

  /** Estimated bytes of the view's own index: series, keys, postings, label strings. */
  estimateBytes(): number {
    let bytes = this.index.estimateBytes();
    for (const s of this.index.byRef.values()) bytes += VIEW_SERIES_BYTES + stringBytes(s.key);
    return bytes;
  }

  /** The arena at `index`, as the writer has it now. */
  arena(index: number): Arena {
    if (this.generations[index] !== this.share.generation(index)) this.drain();
    const arena = this.arenas[index];
    if (arena === undefined || this.generations[index] !== this.share.generation(index)) {
      throw new Error(`arena ${index} was never received from the head's writer`);
    }
    return arena;
  }

  readChunk(file: number, pos: number, ref: number): DiskChunk | ChunkReadFailure {
    return this.files === null ? 'gone' : this.files.read(file, pos, ref);
  }

  /** Closes the chunk files; the view reads nothing after. */
  close(): void {
    this.port.close();
    this.files?.close();
  }

  /** A window's left edge, moved up to the truncation cutoff (windows are left-open). */
  private clampMint(mintMs: number): number {
    return Math.max(mintMs, this.share.truncatedBefore - 1);
  }

  private drain(): void {
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got === undefined) return;
      this.apply(got.message as FeedMessage);
    }
  }

  private apply(m: FeedMessage): void {
    switch (m.type) {
      case 'arena':
        this.arenas[m.index] = arenaViews(m.buffer);
        this.generations[m.index] = m.generation;
        return;
      case 'arena-dropped':
        this.arenas[m.index] = undefined;
        return;
      case 'series':
        this.applySeries(m);
        return;
      case 'attached':
        this.onAttached();
    }
  }

  /** New series first: one made and dropped since the last batch is in both lists. */
  private applySeries(m: Extract<FeedMessage, { type: 'series' }>): void {
    for (let i = 0; i < m.refs.length; i++) {
      if (this.index.byRef.has(m.refs[i])) continue;
      const pairs = sortedPairs(m.labels[i]);
      const key = seriesKey(pairs);
      const labels = this.index.intern(pairs);
      this.index.add({ ref: m.refs[i], key, labels, record: m.records[i] });
    }
    this.index.remove(m.dropped);
    if (m.filesBefore !== undefined) this.files?.closeBefore(m.filesBefore);
  }
}
