/** The conformance command's pass/fail rule, without running any promqltest file. */
import { describe, expect, it } from 'vitest';
import type { FileReport } from './run-script.js';
import { conformanceVerdict } from './verdict.js';

const report = (file: string, passed: number, failed: number, unsupported: number): FileReport => ({
  file,
  passed,
  failed,
  unsupported,
  total: passed + failed + unsupported,
  notPassed: [],
});

describe('conformanceVerdict', () => {
  it('holds Prometheus files to the floor only, so known failures pass', () => {
    const reports = [report('a.test', 8, 2, 0)];
    expect(conformanceVerdict(reports, { total: 8, files: { 'a.test': 8 } })).toEqual([]);
    expect(conformanceVerdict(reports, { total: 9, files: {} })).toEqual([
      'below floor: total: 8 passed, floor 9',
    ]);
  });

  it('asks any other folder for every eval to pass', () => {
    expect(
      conformanceVerdict([report('a.test', 3, 0, 0), report('b.test', 5, 0, 0)], undefined),
    ).toEqual([]);
    expect(
      conformanceVerdict([report('a.test', 3, 1, 0), report('b.test', 4, 0, 1)], undefined),
    ).toEqual(['a.test: 1 failed, 0 unsupported of 4', 'b.test: 0 failed, 1 unsupported of 5']);
  });
});
