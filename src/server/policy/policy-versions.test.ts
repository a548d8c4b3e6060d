/** Policy versions: numbered once per distinct text, durable, audited; the public hash is of the redacted text. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type ServerDatabase } from '../database/index.js';
import { KpiHistoryStore } from '../history/kpi-history-store.js';
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
  it('numbers distinct texts and returns the existing version for text seen before', () => {
    const store = new PolicyVersionStore(db, now);
    const v1 = store.record(A, { author: 'ana', reason: 'first' });
    clock += 1000;
    const v2 = store.record(B, { author: 'bo', reason: 'comment' });
    clock += 1000;
    const again = store.record(A, { author: 'cy', reason: 'roll back' });
    expect(v1).toEqual({
      version: 1,
      hash: policyHash(A),
      created: '2026-11-24T12:00:00.000Z',
      author: 'ana',
      reason: 'first',
    });
    expect(v2.version).toBe(2);
    expect(again).toEqual(v1);
    expect(store.list().map((v) => v.version)).toEqual([1, 2]);
    expect(store.latest()?.version).toBe(1);
    expect(store.get(2)?.text).toBe(B);
    expect(store.get(3)).toBeUndefined();
  });

  it('hashes the text readers see, so a guessed token cannot be checked offline', () => {
    const withToken = (token: string) =>
      `auth:\n  tokens:\n    - { name: ci, token: ${token}, scopes: [write] }\nkpis: []\n`;
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const real = withToken('s3cret-token-0123456789');
    const shown =
      'auth:\n  tokens:\n    - { name: ci, token: "<redacted>", scopes: [write] }\nkpis: []\n';
    const store = new PolicyVersionStore(db, now);
    const v1 = store.record(real, { author: 'ana', reason: 'first' });
    expect(v1.hash).toBe(sha(shown));
    expect(v1.hash).not.toBe(sha(real));
    expect(store.list()[0].hash).toBe(sha(shown));
    expect(store.audit(1)[0].hash).toBe(sha(shown));
    // A rotated token is a version of its own, with the same public hash: readers see the same text.
    const v2 = store.record(withToken('rotated-token-0123456789'), {
      author: 'bo',
      reason: 'rotate',
    });
    expect([v2.version, v2.hash]).toEqual([2, v1.hash]);
    // Numbering stays stable across a restart: the same text answers its old version.
    db.close();
    db = openDatabase(dir);
    const reopened = new PolicyVersionStore(db, now);
    expect(reopened.record(real, { author: 'cy', reason: 'restart' })).toMatchObject({
      version: 1,
      hash: sha(shown),
    });
    expect(reopened.list().map((v) => [v.version, v.hash])).toEqual([
      [1, sha(shown)],
      [2, sha(shown)],
    ]);
  });

  it('drops the folders from reasons recorded as "loaded from /abs/path" before', () => {
    new PolicyVersionStore(db, now);
    const insert = db.prepare(
      'INSERT INTO policy_versions (hash, created, author, reason, text) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('a', clock, 'config file', 'loaded from /srv/kpi/conf/kpi-lights.yaml', A);
    insert.run('b', clock, 'ops', 'loaded from /not/a/file/reason', B);
    // As a database written before the step: the step is not yet recorded.
    db.prepare("DELETE FROM schema_migrations WHERE part = 'policy' AND version = 2").run();
    const store = new PolicyVersionStore(db, now);
    expect(store.list().map((v) => v.reason)).toEqual([
      'loaded from kpi-lights.yaml',
      'loaded from /not/a/file/reason',
    ]);
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
        at: '2026-11-24T12:00:00.000Z',
        author: 'bo',
        reason: 'typo',
        hash: policyHash('kpis: 3\n'),
        outcome: 'rejected',
        version: null,
        issues: [issue],
      },
      {
        at: '2026-11-24T12:00:00.000Z',
        author: 'ana',
        reason: 'first',
        hash: policyHash(A),
        outcome: 'accepted',
        version: 1,
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
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
