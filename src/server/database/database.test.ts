/** The database file on disk: a new one and its -wal/-shm are 0600 in a 0700 folder; an existing one keeps its mode. */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from './database.js';

let root: string;
let umask: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpi-db-mode-'));
  // A permissive umask, so the modes seen are the ones the code chose.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

function writeSomething(dataDir: string) {
  const db = openDatabase(dataDir);
  db.exec('CREATE TABLE IF NOT EXISTS t (x TEXT)');
  db.prepare('INSERT INTO t VALUES (?)').run('token-like text');
  return db;
}

describe('openDatabase file modes', () => {
  it('creates the folder 0700 and the database, -wal and -shm 0600', () => {
    const dataDir = join(root, 'data');
    const db = writeSomething(dataDir);
    const file = join(dataDir, DATABASE_FILE);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    db.close();
  });

  it('keeps the mode of an existing database, for its -wal and -shm too', () => {
    const dataDir = join(root, 'data');
    writeSomething(dataDir).close();
    const file = join(dataDir, DATABASE_FILE);
    chmodSync(file, 0o640);
    const db = writeSomething(dataDir);
    expect(modeOf(file)).toBe(0o640);
    expect(modeOf(`${file}-wal`)).toBe(0o640);
    expect(modeOf(`${file}-shm`)).toBe(0o640);
    db.close();
  });
});
