/** Why the sample store could not write to disk, worded for the targets page. */

/**
 * A write to the sample store's files failed (the disk is full, a file vanished). The samples
 * stay in memory and readable; the scrape that hit it fails with this message.
 *
 * @example
 * ```ts
 * throw new StorageError('writing the write-ahead log failed: ENOSPC: no space left on device', { cause: err });
 * ```
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}
