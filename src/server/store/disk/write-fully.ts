/** Writing every byte at a position, past short writes, so a full disk is told with its own error. */
import { writeSync } from 'node:fs';

/**
 * Writes all of `bytes` at `position`, going on after a short write; the disk's refusal (ENOSPC,
 * EFBIG) is thrown as the error it is. Answers the bytes written.
 *
 * @example
 * ```ts
 * writeFully(fd, record, fileSize);
 * ```
 */
export function writeFully(fd: number, bytes: Uint8Array, position: number): number {
  let done = 0;
  while (done < bytes.length) {
    const n = writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error(`the disk took 0 of ${bytes.length - done} bytes`);
    done += n;
  }
  return done;
}
