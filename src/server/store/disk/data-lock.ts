/** One process at a time per sample folder: a lock file naming the process that holds it. */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from './storage-error.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `dir/lock` for this process. A lock left by a process that is gone (killed) is taken
 * over; one held by a live other process is refused with a `StorageError` naming it. The same
 * process may take it again (an engine worker restarted after a crash). Answers the release.
 *
 * @example
 * ```ts
 * const release = lockDataDir(dir);
 * // … later
 * release();
 * ```
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, 'lock');
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(path, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (holder !== undefined && holder > 0 && holder !== process.pid && alive(holder)) {
    throw new StorageError(`${dir} is in use by process ${holder}; stop it first`);
  }
  writeFileSync(path, `${process.pid}\n`);
  return () => {
    try {
      if (Number(readFileSync(path, 'utf8').trim()) === process.pid) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
}
