/** What makes a conformance run fail: the floor for Prometheus's own files, every eval passing for any other folder. */
import { checkFloor, type Floor } from './floor.js';
import type { FileReport } from './run-script.js';

/**
 * The reasons a run fails; empty means it passes. With a `floor` (Prometheus's own files, where
 * some evals are known not to pass yet) a pass count below it fails. Without one (a folder of
 * our own cases, or a contributor's) any eval that does not pass fails.
 *
 * @example
 * ```ts
 * conformanceVerdict(reports, undefined); // ['rate.test: 1 failed, 0 unsupported of 12']
 * ```
 */
export function conformanceVerdict(
  reports: readonly FileReport[],
  floor: Floor | undefined,
): string[] {
  if (floor !== undefined) return checkFloor(floor, reports).map((v) => `below floor: ${v}`);
  return reports
    .filter((r) => r.passed < r.total)
    .map((r) => `${r.file}: ${r.failed} failed, ${r.unsupported} unsupported of ${r.total}`);
}
