/** The messages a head's writer sends each reader on its own port: arenas, series, deleted chunk files. */
import type { Labels } from '../../model/model.js';

/**
 * What a reader is told, in order. An arena comes before any record that points into it (its
 * generation is published after the message is posted); series come in batches at each
 * publish, before the epoch moves on, so a reader that pins the new epoch and reads its port
 * knows every series a record it can reach belongs to.
 */
export type FeedMessage =
  | {
      readonly type: 'arena';
      readonly index: number;
      readonly generation: number;
      readonly buffer: SharedArrayBuffer;
    }
  | { readonly type: 'arena-dropped'; readonly index: number }
  | {
      readonly type: 'series';
      /** New series: refs, their records' locations, their labels, index by index. */
      readonly refs: readonly number[];
      readonly records: readonly number[];
      readonly labels: readonly Labels[];
      readonly dropped: readonly number[];
      /** Chunk files numbered below this were deleted by retention. */
      readonly filesBefore?: number;
    }
  /** The end of the snapshot a reader gets when it attaches. */
  | { readonly type: 'attached' };
