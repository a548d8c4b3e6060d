/** Why one scrape failed, in words a person understands, with a kind a program can switch on. */

/** What went wrong, coarsely: enough to count failures by cause. */
export type ScrapeErrorKind =
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'body-limit'
  | 'encoding'
  | 'parse'
  | 'sample-limit'
  | 'label-limit'
  | 'series-limit'
  | 'cancelled'
  /** The samples could not be written to disk (a full disk); they are kept in memory. */
  | 'storage'
  | 'internal';

/**
 * A failed scrape. `message` is meant for the targets page as is ("timed out after 2 s");
 * the original error, if any, stays as `cause`.
 *
 * @example
 * ```ts
 * throw new ScrapeError('http-status', 'server returned HTTP status 503 Service Unavailable');
 * ```
 */
export class ScrapeError extends Error {
  constructor(
    readonly kind: ScrapeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ScrapeError';
  }
}

// One definition of the byte wording, shared with the query and HTTP bounds.
export { formatBytes } from '../../shared/format-bytes.js';

/** `2000` → `2 s`, `500` → `500 ms`, `1500` → `1.5 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}
