/** The conformance floor: pass counts that must not drop, in total and per file. */
import type { FileReport } from './run-script.js';

export interface Floor {
  readonly total: number;
  readonly files: Readonly<Record<string, number>>;
}

/**
 * Lists every pass count below its floor; empty means the floor holds.
 * @example checkFloor({ total: 1, files: {} }, []) // ['total: 0 passed, floor 1']
 */
export function checkFloor(floor: Floor, reports: readonly FileReport[]): string[] {
  const out: string[] = [];
  let passed = 0;
  for (const r of reports) {
    passed += r.passed;
    const min = floor.files[r.file];
    if (min !== undefined && r.passed < min)
      out.push(`${r.file}: ${r.passed} passed, floor ${min}`);
  }
  for (const file of Object.keys(floor.files)) {
    if (!reports.some((r) => r.file === file))
      out.push(`${file}: missing, floor ${floor.files[file]}`);
  }
  if (passed < floor.total) out.push(`total: ${passed} passed, floor ${floor.total}`);
  return out;
}
