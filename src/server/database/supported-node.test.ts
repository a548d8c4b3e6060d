/** The Node.js versions the server refuses, and `engines` agreeing with the rule. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, TESTED_NODE_LINES, unsupportedNode } from './supported-node.js';

describe('unsupportedNode', () => {
  it('refuses Node 20 and early 22 with the version needed and the one found', () => {
    expect(unsupportedNode('20.19.5')).toBe(
      'kpi-lights needs Node.js 22.16 or later (an LTS line it is tested on: 22, 24, 26); this is Node.js 20.19.5',
    );
    expect(unsupportedNode('v22.15.1')).toContain('this is Node.js 22.15.1');
  });

  it('accepts 22.16 and every later release', () => {
    for (const v of ['22.16.0', '22.23.5', '23.0.0', '24.22.3', '26.12.1', '28.0.0']) {
      expect(unsupportedNode(v)).toBeUndefined();
    }
  });

  it('says what package.json engines says: from the minimum, the tested LTS lines', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const [first, ...later] = TESTED_NODE_LINES;
    expect(pkg.engines.node).toBe(
      [`^${MIN_NODE}`, ...later.map((major) => `^${major}.0.0`)].join(' || '),
    );
    expect(MIN_NODE.startsWith(`${first}.`)).toBe(true);
  });
});
