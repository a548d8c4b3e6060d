/** ARCHITECTURE.md's "Where each step lives" names files that exist: the layout table stays true when things move. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function tablePaths(): string[] {
  const text = readFileSync('ARCHITECTURE.md', 'utf8');
  const start = text.indexOf('## Where each step lives');
  const table = text.slice(start, text.indexOf('\n## ', start + 1));
  return [...table.matchAll(/`((?:src|test|bench|demo|vite-plugins)\/[^`]*)`/g)].map((m) => m[1]);
}

describe("ARCHITECTURE.md's layout table", () => {
  it('names only folders and files that exist', () => {
    const paths = tablePaths();
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((path) => !existsSync(path))).toEqual([]);
  });
});
