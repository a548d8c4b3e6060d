/** The Node.js versions the server refuses, and `engines` agreeing with the rule. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, TESTED_NODE_LINES, unsupportedNode } from './supported-node.js';

describe('unsupportedNode', () => {
  it('refuses Node 20 and early 22 with the versions needed and the one found', () => {
    expect(unsupportedNode('20.19.5')).toBe(
      'kpi-lights needs Node.js 22 (22.16 or later) or 24, the LTS lines it is tested on; this is Node.js 20.19.5',
    );
    expect(unsupportedNode('v22.15.1')).toContain('this is Node.js 22.15.1');
  });

  it('accepts 22 from 22.16, and 24', () => {
    for (const v of ['22.16.0', '22.23.5', '24.0.0', '24.22.3']) {
      expect(unsupportedNode(v)).toBeUndefined();
    }
  });

  it('refuses lines it is not tested on: odd ones, and 26, where the staleness marker is lost', () => {
    for (const v of ['23.11.0', '25.9.0', '26.12.1', '28.0.0']) {
      expect(unsupportedNode(v)).toContain(`this is Node.js ${v}`);
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
