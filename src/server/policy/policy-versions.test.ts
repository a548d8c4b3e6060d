/** Policy versions: one per change, with diffs, durable, audited append-only; the public hash is of the redacted text. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type ServerDatabase } from '../database/index.js';
import { KpiHistoryStore } from '../history/kpi-history-store.js';
import { POLICY_MIGRATIONS } from './policy-migrations.js';
import { PolicyVersionStore, policyHash } from './policy-versions.js';

let dir: string;
let db: ServerDatabase;
let clock = 0;
const now = () => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-versions-'));
  db = openDatabase(dir);
  clock = Date.UTC(2026, 10, 24, 12);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const A = 'kpis: []\n';
const B = 'kpis: []\n# reviewed\n';

describe('PolicyVersionStore', () => {
  it('makes every change one new version, a return to older text included, with its diff', () => {
    const store = new PolicyVersionStore(db, now);
    const v1 = store.record(A, { author: 'ana', reason: 'first' });
    clock += 1000;
    const v2 = store.record(B, { author: 'bo', reason: 'comment' });
    clock += 1000;
    const back = store.record(A, { author: 'cy', reason: 'roll back', rollbackOf: 1 });
    expect(v1).toEqual({
      version: 1,
      hash: policyHash(A),
      created: '2026-11-24T12:00:00.000Z',
      author: 'ana',
      reason: 'first',
    });
    expect(v2.version).toBe(2);
    expect(back).toEqual({
      version: 3,
      hash: v1.hash,
      created: '2026-11-24T12:00:02.000Z',
      author: 'cy',
      reason: 'roll back',
      rollbackOf: 1,
    });
    // Text equal to the version in force is no change: no version, but the attempt is logged.
    expect(store.record(A, { author: 'file', reason: 'restart', action: 'load' }).version).toBe(3);
    expect(store.audit(1)[0]).toMatchObject({ action: 'load', outcome: 'accepted', version: 3 });
    expect(store.list().map((v) => v.version)).toEqual([1, 2, 3]);
    expect(store.latest()?.version).toBe(3);
    expect(store.get(3)?.text).toBe(A);
    expect(store.get(1)?.diff).toBe('');
    expect(store.get(2)?.diff).toBe(
      '--- version 1\n+++ version 2\n@@ -1 +1,2 @@\n kpis: []\n+# reviewed\n',
    );
    expect(store.get(3)?.diff).toBe(
      '--- version 2\n+++ version 3\n@@ -1,2 +1 @@\n kpis: []\n-# reviewed\n',
    );
    expect(store.get(4)).toBeUndefined();
  });

  it('says which version was in force at any time', () => {
    const store = new PolicyVersionStore(db, now);
    const start = clock;
    store.record(A, { author: 'ana', reason: 'first' });
    clock += 60_000;
    store.record(B, { author: 'bo', reason: 'second' });
    expect(store.inForce(start - 1)).toBeUndefined();
    expect(store.inForce(start)?.version).toBe(1);
    expect(store.inForce(start + 59_999)?.version).toBe(1);
    expect(store.inForce(start + 60_000)?.version).toBe(2);
  });

  it('keeps the audit log append-only: SQLite refuses to update or delete it', () => {
    const store = new PolicyVersionStore(db, now);
    store.record(A, { author: 'ana', reason: 'first' });
    store.recordRejected('kpis: 3\n', { author: 'bo', reason: 'typo' }, []);
    expect(() => db.prepare("UPDATE policy_audit SET reason = 'nothing to see'").run()).toThrow(
      'the policy audit log is append-only',
    );
    expect(() => db.prepare('DELETE FROM policy_audit').run()).toThrow(
      'the policy audit log is append-only',
    );
    expect(store.audit().map((e) => e.reason)).toEqual(['typo', 'first']);
  });

  it('hashes the text readers see plus a keyed digest of its secrets: a rotation changes the hash, a guess cannot be checked', () => {
    const withToken = (token: string) =>
      `auth:\n  tokens:\n    - { name: ci, token: ${token}, scopes: [write] }\nkpis: []\n`;
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const real = withToken('s3cret-token-0123456789');
    const shown =
      'auth:\n  tokens:\n    - { name: ci, token: "<redacted>", scopes: [write] }\nkpis: []\n';
    const store = new PolicyVersionStore(db, now);
    const v1 = store.record(real, { author: 'ana', reason: 'first' });
    // Neither the raw text's hash nor the redacted text's: both could be checked offline
    // (the first against a guessed token, the second says nothing when a token changes).
    expect(v1.hash).not.toBe(sha(real));
    expect(v1.hash).not.toBe(sha(shown));
    expect(v1.hash).not.toBe(policyHash(real));
    expect(store.list()[0].hash).toBe(v1.hash);
    expect(store.audit(1)[0].hash).toBe(v1.hash);
    // A rotated token is a version of its own with a new public hash, so a stale If-Match loses.
    const v2 = store.record(withToken('rotated-token-0123456789'), {
      author: 'bo',
      reason: 'rotate',
    });
    expect(v2.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    // The diff says a secret changed, and where, without its value.
    expect(store.get(2)?.diff).toBe(
      [
        '--- version 1',
        '+++ version 2',
        '@@ -1,4 +1,4 @@',
        ' auth:',
        '   tokens:',
        '-    - { name: ci, token: "<redacted>", scopes: [write] }',
        '+    - { name: ci, token: "<secret changed>", scopes: [write] }',
        ' kpis: []',
        '',
      ].join('\n'),
    );
    expect(store.get(2)?.diff).not.toContain('rotated');
    // Across a restart the key stays, so the text in force keeps its number and its hash.
    db.close();
    db = openDatabase(dir);
    const reopened = new PolicyVersionStore(db, now);
    expect(
      reopened.record(withToken('rotated-token-0123456789'), { author: 'cy', reason: 'restart' }),
    ).toMatchObject({ version: 2, hash: v2.hash });
    expect(reopened.list().map((v) => v.hash)).toEqual([v1.hash, v2.hash]);
    // Another database has another key: the same text hashes differently there.
    const otherDir = mkdtempSync(join(tmpdir(), 'kpi-versions-other-'));
    const other = openDatabase(otherDir);
    try {
      expect(new PolicyVersionStore(other, now).hashOf(real)).not.toBe(v1.hash);
    } finally {
      other.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('upgrades a database of the first schema: reasons lose their folders, rows and audit kept', () => {
    migrate(db, 'policy', POLICY_MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      'INSERT INTO policy_versions (hash, created, author, reason, text) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('a', clock, 'config file', 'loaded from /srv/kpi/conf/kpi-lights.yaml', A);
    insert.run('b', clock, 'ops', 'loaded from /not/a/file/reason', B);
    db.prepare(
      `INSERT INTO policy_audit (at, author, reason, hash, outcome, version, issues)
       VALUES (?, 'ops', 'second', 'h', 'accepted', 2, '[]')`,
    ).run(clock);
    const store = new PolicyVersionStore(db, now);
    expect(store.list().map((v) => v.reason)).toEqual([
      'loaded from kpi-lights.yaml',
      'loaded from /not/a/file/reason',
    ]);
    expect(store.audit()).toMatchObject([{ action: 'change', reason: 'second', version: 2 }]);
    // The old unique hash is gone: a return to version 1's text is version 3.
    expect(store.record(A, { author: 'ops', reason: 'back' }).version).toBe(3);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  });

  it('hashes a text without secrets exactly, as sha256sum would', () => {
    // printf 'x\n' | sha256sum
    expect(policyHash('x\n')).toBe(
      '73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac',
    );
    expect(policyHash(A)).not.toBe(policyHash(B));
  });

  it('audits accepted and rejected attempts', () => {
    const store = new PolicyVersionStore(db, now);
    store.record(A, { author: 'ana', reason: 'first' });
    const issue = {
      file: 'p.yaml',
      line: 1,
      column: 7,
      path: 'kpis',
      message: 'expected a list, got 3',
    };
    store.recordRejected('kpis: 3\n', { author: 'bo', reason: 'typo' }, [issue]);
    expect(store.audit()).toEqual([
      {
        id: 2,
        at: '2026-11-24T12:00:00.000Z',
        action: 'change',
        author: 'bo',
        reason: 'typo',
        hash: policyHash('kpis: 3\n'),
        outcome: 'rejected',
        version: null,
        detail: '',
        issues: [issue],
      },
      {
        id: 1,
        at: '2026-11-24T12:00:00.000Z',
        action: 'change',
        author: 'ana',
        reason: 'first',
        hash: policyHash(A),
        outcome: 'accepted',
        version: 1,
        detail: '',
        issues: [],
      },
    ]);
    expect(store.list()).toHaveLength(1);
  });

  it('survives closing and reopening the database, sharing the file with history', () => {
    new PolicyVersionStore(db, now).record(A, { author: 'ana', reason: 'first' });
    new KpiHistoryStore(db);
    db.close();
    db = openDatabase(dir);
    const store = new PolicyVersionStore(db, now);
    expect(store.latest()).toMatchObject({ version: 1, text: A, author: 'ana' });
    expect(store.record(B, { author: 'bo', reason: 'second' }).version).toBe(2);
    const parts = db
      .prepare('SELECT part, version FROM schema_migrations ORDER BY part, version')
      .all();
    expect(parts).toEqual([
      { part: 'history', version: 1 },
      { part: 'policy', version: 1 },
      { part: 'policy', version: 2 },
      { part: 'policy', version: 3 },
      { part: 'policy', version: 4 },
    ]);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  });
});
