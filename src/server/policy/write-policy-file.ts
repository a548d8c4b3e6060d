/** Writes an accepted policy back to its file: never half a file, never through a planted link, never wider open than before. */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Mode of a policy file written where none was: it may hold inline tokens. */
export const NEW_POLICY_FILE_MODE = 0o600;

/** Options of {@link writePolicyFile}. Every field is optional. */
export interface WritePolicyFileOptions {
  /** Names the temporary file, beside the policy. Default: a random 96-bit name. For tests. */
  readonly tempName?: (file: string) => string;
}

function randomTempName(file: string): string {
  return `.${basename(file)}.${randomBytes(12).toString('hex')}.tmp`;
}

/** The permission bits of an existing file (through a link, as the user sees it), else undefined. */
function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function fsyncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text` so that a crash leaves the old file or the new one, whole. The
 * temporary file gets a random name and is opened with `O_CREAT | O_EXCL` (`wx`), which fails
 * on anything already there, a symlink included, so nobody can point the write elsewhere. It
 * takes the original file's mode (`0600` for a new file) before any byte is written, is synced,
 * renamed over the policy, and the folder is synced so the rename itself survives a power cut.
 *
 * @example
 * ```ts
 * writePolicyFile('kpi-lights.yaml', acceptedText);
 * ```
 */
export function writePolicyFile(
  path: string,
  text: string,
  options: WritePolicyFileOptions = {},
): void {
  const mode = modeOf(path) ?? NEW_POLICY_FILE_MODE;
  const dir = dirname(path);
  const tmp = join(dir, (options.tempName ?? randomTempName)(path));
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      // The umask may have taken bits the original had; the copy must match it exactly.
      fchmodSync(fd, mode);
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or gone; the original error is the one to report.
    }
    throw err;
  }
  fsyncFolder(dir);
}
