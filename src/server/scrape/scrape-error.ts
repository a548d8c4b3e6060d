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

/** `1048576` → `1 MiB`, `1500` → `1500 B`: limits read better in binary units. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (u < units.length - 1 && n >= 1024 && n % 1024 === 0) {
    n /= 1024;
    u++;
  }
  return `${n} ${units[u]}`;
}

/** `2000` → `2 s`, `500` → `500 ms`, `1500` → `1.5 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}
