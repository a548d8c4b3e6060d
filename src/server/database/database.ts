/** The server's one SQLite file: where it lives, and opening it in WAL mode with the migrations ledger. */
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSqlite } from './node-sqlite.js';
import { ServerDatabase } from './server-database.js';

/** File name inside the data directory. */
export const DATABASE_FILE = 'kpi-lights.db';

/** Mode of a new database file: it keeps every policy text, inline tokens included. */
export const NEW_DATABASE_MODE = 0o600;

/** Creates the file with mode 0600 if it is not there; an existing file keeps its mode. */
function createPrivately(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', NEW_DATABASE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, NEW_DATABASE_MODE);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens (creating if needed) `<dataDir>/kpi-lights.db` in WAL mode, so the API can read while
 * an evaluation round writes. A new file (and a new data folder) is readable by its owner only;
 * SQLite gives the `-wal` and `-shm` files the database file's mode.
 *
 * @example
 * ```ts
 * const db = openDatabase('data');
 * const history = new KpiHistoryStore(db);
 * const versions = new PolicyVersionStore(db);
 * ```
 */
export function openDatabase(dataDir: string): ServerDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
  createPrivately(file);
  const db = new ServerDatabase(new (nodeSqlite().DatabaseSync)(file));
  db.exec('PRAGMA journal_mode = WAL');
  // With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    part TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied INTEGER NOT NULL,
    PRIMARY KEY (part, version)
  )`);
  return db;
}

/**
 * Opens an existing `<dataDir>/kpi-lights.db` read only, migrating nothing: for reading a
 * server's file (the CLI's `policy log`) while it runs or after. Throws when there is none.
 *
 * @example
 * ```ts
 * const db = openDatabaseReadOnly('data');
 * ```
 */
export function openDatabaseReadOnly(dataDir: string): ServerDatabase {
  const file = join(dataDir, DATABASE_FILE);
  // Opened read only, SQLite would not create it anyway; this says why in words.
  if (!existsSync(file)) throw new Error(`no database file ${file}`);
  const db = new ServerDatabase(new (nodeSqlite().DatabaseSync)(file, { readOnly: true }));
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}
