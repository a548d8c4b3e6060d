/** The unified diff reads as `diff -u` prints it: hunks, counts, context, removals before additions. */
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff.js';

const names = { from: 'version 1', to: 'version 2' };
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty for the same text', () => {
    expect(unifiedDiff('a\n', 'a\n', names)).toBe('');
  });

  it('prints a change with three lines of context, removal first', () => {
    expect(unifiedDiff(lines(8), lines(8).replace('line 4\n', 'line four\n'), names)).toBe(
      [
        '--- version 1',
        '+++ version 2',
        '@@ -2,7 +2,7 @@',
        ' line 1',
        ' line 2',
        ' line 3',
        '-line 4',
        '+line four',
        ' line 5',
        ' line 6',
        ' line 7',
        '',
      ].join('\n'),
    );
  });

  it('splits changes far apart into hunks, and numbers a removed first line as diff -u does', () => {
    const after = lines(20).replace('line 0\n', '').replace('line 10\n', 'line ten\n');
    // As `diff -u` prints it for the same two files.
    expect(unifiedDiff(lines(20), after, names)).toBe(
      [
        '--- version 1',
        '+++ version 2',
        '@@ -1,4 +1,3 @@',
        '-line 0',
        ' line 1',
        ' line 2',
        ' line 3',
        '@@ -8,7 +7,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+line ten',
        ' line 11',
        ' line 12',
        ' line 13',
        '',
      ].join('\n'),
    );
  });

  it('diffs from nothing', () => {
    expect(unifiedDiff('', 'x\n', names)).toBe('--- version 1\n+++ version 2\n@@ -0,0 +1 @@\n+x\n');
  });
});
