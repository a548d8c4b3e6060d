/** Runs our own promqltest-format cases (`test/promql/*.test`); every eval must pass. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../conformance/run-script.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test'))
  .sort();

describe('our own PromQL cases', () => {
  it('finds the case files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s passes every eval', (file) => {
    const report = runScript(readFileSync(`${dir}/${file}`, 'utf8'), file);
    const problems = report.notPassed.map(
      (f) => `line ${f.line} ${f.outcome}: ${f.expr}\n  ${f.reason}`,
    );
    expect(problems).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
  });
});
