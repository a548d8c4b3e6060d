/** `kpi-lights policy log` and `policy diff` print what the database holds, with no server running. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PolicyCommandError,
  policyDiff,
  policyLog,
} from '../../src/server/cli/policy-log-command.js';
import { openDatabase } from '../../src/server/database/index.js';
import { PolicyVersionStore } from '../../src/server/policy/policy-versions.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const token = (t: string) => `auth:\n  tokens:\n    - { name: ci, token: ${t}, scopes: [write] }\n`;

describe('policy log and policy diff', () => {
  it('print the versions newest first and a redacted diff between two', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-policy-log-'));
    dirs.push(dir);
    let clock = Date.UTC(2026, 3, 15, 9);
    const db = openDatabase(dir);
    const versions = new PolicyVersionStore(db, () => clock);
    versions.record(`${token('first-secret-0123456789')}kpis: []\n`, {
      author: 'file',
      reason: 'loaded from kpi-lights.yaml',
    });
    clock += 60_000;
    versions.record(`${token('first-secret-0123456789')}kpis: []\n# tax day\n`, {
      author: 'deploy',
      reason: 'note the season',
    });
    clock += 60_000;
    versions.record(`${token('first-secret-0123456789')}kpis: []\n`, {
      author: 'deploy',
      reason: 'undo',
      rollbackOf: 1,
      approvedBy: 'lead',
    });
    db.close();

    const log: string[] = [];
    policyLog(dir, (line) => log.push(line));
    expect(log).toEqual([
      '3\t2026-04-15T09:02:00.000Z\tdeploy\tundo (rollback to 1, approved by lead)',
      '2\t2026-04-15T09:01:00.000Z\tdeploy\tnote the season',
      '1\t2026-04-15T09:00:00.000Z\tfile\tloaded from kpi-lights.yaml',
    ]);
    const diff: string[] = [];
    policyDiff(dir, '1', '2', (line) => diff.push(line));
    expect(diff).toEqual([
      '--- version 1',
      '+++ version 2',
      '@@ -2,3 +2,4 @@',
      '   tokens:',
      '     - { name: ci, token: "<redacted>", scopes: [write] }',
      ' kpis: []',
      '+# tax day',
    ]);
    expect(() => policyDiff(dir, '1', '9', () => {})).toThrow('there is no policy version 9');
    expect(() => policyLog(join(dir, 'nothing'), () => {})).toThrow(PolicyCommandError);
  });
});
