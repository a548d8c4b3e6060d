/**
 * The data flows one way between folders: no two folders of `src/` import each other. Biome
 * catches cycles between files; this catches the looser tangle of two folders that lean on
 * each other through different files, which is where a layer starts reading above itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder a file counts in: `server/<part>` inside the server, else the top folder. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'server') return parts.length > 2 ? `server/${parts[1]}` : 'server';
  return parts[0];
}

const IMPORT = /(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g;

function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(normalize(join(dirname(file), spec)));
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  return edges;
}

describe('folder imports', () => {
  it('has no two folders importing each other', () => {
    const edges = folderEdges();
    const twoWay: string[] = [];
    for (const [a, targets] of edges) {
      for (const b of targets) if (a < b && edges.get(b)?.has(a)) twoWay.push(`${a} <-> ${b}`);
    }
    expect(twoWay).toEqual([]);
  });

  it('sees the folders it checks', () => {
    // Guards the check itself: a regex that matched nothing would pass the test above.
    expect(folderEdges().get('server/kpi')).toContain('server/source');
  });
});
