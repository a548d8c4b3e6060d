/** The database handle over node:sqlite: transactions commit, roll back and nest; closing is idempotent; no warning on load. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../../test/support/temp-database.js';
import { openDatabaseReadOnly } from './database.js';

const temp = useTempDatabase('kpi-db-handle-');
beforeEach(() => {
  temp.db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
});

const keys = () =>
  temp.db
    .prepare<[], { k: string }>('SELECT k FROM t ORDER BY k')
    .all()
    .map((r) => r.k);
const insert = () => temp.db.prepare<[string, number]>('INSERT INTO t (k, v) VALUES (?, ?)');

describe('ServerDatabase', () => {
  it('binds by position and by name, and answers rows and changes', () => {
    insert().run('a', 1);
    const named = temp.db.prepare<[{ k: string; v: number }]>('INSERT INTO t VALUES (@k, @v)');
    expect(named.run({ k: 'b', v: 2 })).toEqual({ changes: 1, lastInsertRowid: 2 });
    const row = temp.db.prepare<[string], { v: number }>('SELECT v FROM t WHERE k = ?');
    expect(row.get('b')).toEqual({ v: 2 });
    expect(row.get('zz')).toBeUndefined();
    expect(temp.db.prepare('UPDATE t SET v = v + 1').run().changes).toBe(2);
  });

  it('commits a transaction when its work returns, and answers what the work answered', () => {
    const put = insert();
    const many = temp.db.transaction((ks: string[]) => {
      for (const k of ks) put.run(k, 0);
      return ks.length;
    });
    expect(many(['a', 'b'])).toBe(2);
    expect(keys()).toEqual(['a', 'b']);
  });

  it('rolls back when the work throws, and passes the error on', () => {
    const put = insert();
    const failing = temp.db.transaction(() => {
      put.run('a', 0);
      put.run('a', 1); // the primary key refuses it
    });
    expect(failing).toThrow(/UNIQUE constraint failed: t\.k/);
    expect(keys()).toEqual([]);
    // The handle is usable at once: no transaction was left open.
    put.run('b', 0);
    expect(keys()).toEqual(['b']);
  });

  it('nests: an inner failure undoes only the inner work', () => {
    const put = insert();
    temp.db.transaction(() => {
      put.run('outer', 0);
      expect(() =>
        temp.db.transaction(() => {
          put.run('inner', 0);
          throw new Error('inner fails');
        })(),
      ).toThrow('inner fails');
      temp.db.transaction(() => put.run('second', 0))();
    })();
    expect(keys()).toEqual(['outer', 'second']);
  });

  it('refuses work that returns a promise, keeping none of what it wrote', () => {
    const put = insert();
    const run = temp.db.transaction(async () => {
      put.run('a', 0);
    });
    expect(run).toThrow('a transaction cannot wait for a promise');
    expect(keys()).toEqual([]);
  });

  it('closes once, and closing again does nothing', () => {
    expect(temp.db.open).toBe(true);
    temp.db.close();
    expect(temp.db.open).toBe(false);
    expect(() => temp.db.close()).not.toThrow();
  });

  it('opens read only: reads, refuses writes, and names a missing file', () => {
    insert().run('a', 0);
    const reader = openDatabaseReadOnly(temp.dir);
    try {
      expect(reader.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
      expect(() => reader.prepare("INSERT INTO t VALUES ('b', 0)").run()).toThrow(/readonly/);
    } finally {
      reader.close();
    }
    expect(() => openDatabaseReadOnly(`${temp.dir}/nothing`)).toThrow(
      `no database file ${temp.dir}/nothing/kpi-lights.db`,
    );
  });
});

describe('loading node:sqlite', () => {
  it('prints nothing on this Node (no ExperimentalWarning), and other warnings still pass', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const script = `
      import { mkdtempSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { openDatabase } from './src/server/database/index.ts';
      const db = openDatabase(mkdtempSync(join(tmpdir(), 'kpi-db-warning-')));
      db.close();
      process.emitWarning('a later warning', 'ExperimentalWarning');
    `;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.match(/\w*Warning: .*/g)).toEqual(['ExperimentalWarning: a later warning']);
  });
});
