/** `kpi-lights policy log` and `policy diff A B`: read the versions straight from a data folder's SQLite file. */
import { openDatabaseReadOnly } from '../database/index.js';
import { PolicyVersionStore, publicDiff } from '../policy/policy-versions.js';

/** Where the command's lines go (stdout by default); tests collect them. */
export type PrintLine = (line: string) => void;

/** A usage mistake in `policy …`, worded for the operator. */
export class PolicyCommandError extends Error {
  override readonly name = 'PolicyCommandError';
}

function withVersions<T>(dataDir: string, use: (versions: PolicyVersionStore) => T): T {
  let db: ReturnType<typeof openDatabaseReadOnly>;
  try {
    db = openDatabaseReadOnly(dataDir);
  } catch (err) {
    throw new PolicyCommandError(`no kpi-lights database in ${dataDir}`, { cause: err });
  }
  try {
    return use(new PolicyVersionStore(db, Date.now, { readOnly: true }));
  } finally {
    db.close();
  }
}

/**
 * Prints every version, newest first: number, time, author, reason (and what it rolled back
 * to or who approved it).
 *
 * @example
 * ```ts
 * policyLog('data', console.log);
 * // 3  2026-11-24T12:00:00.000Z  deploy  warn later (approved by lead)
 * ```
 */
export function policyLog(dataDir: string, print: PrintLine): void {
  withVersions(dataDir, (versions) => {
    const list = versions.list().reverse();
    if (list.length === 0) print('no policy versions yet');
    for (const v of list) {
      const notes = [
        v.rollbackOf !== undefined && `rollback to ${v.rollbackOf}`,
        v.approvedBy !== undefined && `approved by ${v.approvedBy}`,
      ].filter(Boolean);
      const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
      print(`${v.version}\t${v.created}\t${v.author}\t${v.reason}${note}`);
    }
  });
}

function versionNumber(text: string | undefined): number {
  if (text === undefined || !/^[1-9]\d*$/.test(text)) {
    throw new PolicyCommandError(
      `policy diff needs two version numbers, got ${JSON.stringify(text ?? '')}`,
    );
  }
  return Number(text);
}

/**
 * Prints the unified diff from version `a` to version `b`, of the text with secrets redacted
 * (a diff is shown, pasted and kept in tickets); nothing when they read the same.
 *
 * @example
 * ```ts
 * policyDiff('data', '2', '3', console.log);
 * ```
 */
export function policyDiff(
  dataDir: string,
  a: string | undefined,
  b: string | undefined,
  print: PrintLine,
): void {
  const [from, to] = [versionNumber(a), versionNumber(b)];
  withVersions(dataDir, (versions) => {
    const [before, after] = [versions.get(from), versions.get(to)];
    if (!before) throw new PolicyCommandError(`there is no policy version ${from}`);
    if (!after) throw new PolicyCommandError(`there is no policy version ${to}`);
    const diff = publicDiff(before.text, after.text, {
      from: `version ${from}`,
      to: `version ${to}`,
    });
    for (const line of diff.split('\n').slice(0, -1)) print(line);
  });
}
