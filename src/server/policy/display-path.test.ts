/** Policy file names shown to readers: relative to the working folder, never absolute. */
import { describe, expect, it } from 'vitest';
import { displayPath } from './display-path.js';

describe('displayPath', () => {
  it.each([
    ['/srv/kpi/conf/kpi-lights.yaml', '/srv/kpi', 'conf/kpi-lights.yaml'],
    ['conf/kpi-lights.yaml', '/srv/kpi', 'conf/kpi-lights.yaml'],
    ['./kpi-lights.yaml', '/srv/kpi', 'kpi-lights.yaml'],
    ['/etc/kpi/kpi-lights.yaml', '/srv/kpi', 'kpi-lights.yaml'],
    ['../other/kpi-lights.yaml', '/srv/kpi', 'kpi-lights.yaml'],
  ])('shows %s (from %s) as %s', (path, cwd, shown) => {
    expect(displayPath(path, cwd)).toBe(shown);
  });
});
