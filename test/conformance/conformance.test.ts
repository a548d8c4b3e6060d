/** Runs Prometheus's promqltest files in-process and fails when a pass count drops below the floor. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceDir } from './conformance-dir.js';
import { checkFloor, type Floor } from './floor.js';
import { runFolder, summaryLine, totalOf } from './run-script.js';

const { dir, exists } = conformanceDir(undefined);
if (!exists) console.warn(`promql conformance skipped: ${dir} not found`);

describe('promql conformance (Prometheus promqltest files)', () => {
  it.skipIf(!exists)(
    'keeps every pass count at or above floor.json',
    () => {
      const reports = runFolder(dir);
      const total = totalOf(reports);
      console.log(`${reports.map(summaryLine).join('\n')}\n${summaryLine(total)}`);
      const floor = JSON.parse(
        readFileSync(new URL('./floor.json', import.meta.url), 'utf8'),
      ) as Floor;
      expect(checkFloor(floor, reports)).toEqual([]);
    },
    120_000,
  );
});
