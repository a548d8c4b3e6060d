/** The writer's side of a shared head: tells each reader's port of arenas and series, and makes the head retire memory by epochs. */
import type { MessagePort } from 'node:worker_threads';
import type { Labels } from '../../model/model.js';
import type { Arena } from '../chunk/arena-table.js';
import type { MemoryHead, SeriesFeed } from '../memory-head.js';
import type { FeedMessage } from './feed-messages.js';
import type { HeadShare } from './head-share.js';

/** A `series` message being filled. */
interface SeriesBatch {
  readonly type: 'series';
  readonly refs: number[];
  readonly records: number[];
  readonly labels: Labels[];
  readonly dropped: number[];
}

/** Series sent per message in a snapshot, so no one message holds a whole large head. */
const SNAPSHOT_BATCH = 10_000;

/**
 * Shares a head with readers in other threads. From construction on, the head retires memory
 * by `share`'s epochs, and every new arena, new series and dropped series is posted to each
 * attached reader's port; `attach` first sends a new reader the head as it stands.
 *
 * @example
 * ```ts
 * const feed = new HeadFeed(core.head, new HeadShare(init.share));
 * feed.attach(0, port); // the reader's port, from a MessageChannel
 * ```
 */
export class HeadFeed implements SeriesFeed {
  private readonly ports = new Map<number, MessagePort>();
  private refs: number[] = [];
  private records: number[] = [];
  private labels: Labels[] = [];
  private gone: number[] = [];
  private firstFile: number | undefined;

  constructor(
    private readonly head: MemoryHead,
    private readonly share: HeadShare,
  ) {
    const mem = head.memory;
    mem.share = share;
    share.truncatedBefore = head.truncatedBefore;
    head.feed = this;
    mem.table.listener = {
      added: (index, arena) => this.arenaAdded(index, arena),
      dropped: (index) => this.post({ type: 'arena-dropped', index }),
    };
  }

  /** Readers attached now. */
  get readers(): number {
    return this.ports.size;
  }

  /**
   * Sends reader `reader` every arena and series, then `attached`, and from then on every
   * change. A reader attached again (restarted) replaces its old port.
   */
  attach(reader: number, port: MessagePort): void {
    this.flush();
    this.detach(reader);
    const share = this.share;
    for (const [index, arena] of this.head.memory.table.entries()) {
      const generation = share.generation(index);
      port.postMessage({ type: 'arena', index, generation, buffer: arena.buffer } as FeedMessage);
    }
    let batch = this.emptyBatch();
    for (const [ref, labels, samples] of this.head.allSeries()) {
      batch.refs.push(ref);
      batch.records.push(samples.recordLoc);
      batch.labels.push(labels);
      if (batch.refs.length < SNAPSHOT_BATCH) continue;
      port.postMessage(batch);
      batch = this.emptyBatch();
    }
    if (batch.refs.length > 0) port.postMessage(batch);
    port.postMessage({ type: 'attached' } as FeedMessage);
    this.ports.set(reader, port);
  }

  /** Stops telling reader `reader`, and closes its port. */
  detach(reader: number): void {
    const port = this.ports.get(reader);
    if (port === undefined) return;
    this.ports.delete(reader);
    port.close();
  }

  added(ref: number, recordLoc: number, labels: Labels): void {
    if (this.ports.size === 0) return;
    this.refs.push(ref);
    this.records.push(recordLoc);
    this.labels.push(labels);
  }

  dropped(refs: readonly number[]): void {
    if (this.ports.size === 0) return;
    for (const ref of refs) this.gone.push(ref);
  }

  filesBefore(firstFile: number): void {
    this.firstFile = firstFile;
  }

  flush(): void {
    if (this.refs.length === 0 && this.gone.length === 0 && this.firstFile === undefined) return;
    this.post({
      type: 'series',
      refs: this.refs,
      records: this.records,
      labels: this.labels,
      dropped: this.gone,
      ...(this.firstFile !== undefined && { filesBefore: this.firstFile }),
    });
    this.refs = [];
    this.records = [];
    this.labels = [];
    this.gone = [];
    this.firstFile = undefined;
  }

  /** A new arena goes to every reader before its generation says it exists. */
  private arenaAdded(index: number, arena: Arena): void {
    const generation = this.share.generation(index) + 1;
    this.post({ type: 'arena', index, generation, buffer: arena.buffer });
    this.share.nextGeneration(index);
  }

  private post(message: FeedMessage): void {
    for (const port of this.ports.values()) port.postMessage(message);
  }

  private emptyBatch(): SeriesBatch {
    return { type: 'series', refs: [], records: [], labels: [], dropped: [] };
  }
}
