/** The server's one SQLite file: where it lives, and opening it in WAL mode with the migrations ledger. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** An open database; its tables (KPI history, policy versions) each sit over this one handle. */
export type ServerDatabase = Database.Database;

/** File name inside the data directory. */
export const DATABASE_FILE = 'kpi-lights.db';

/**
 * Opens (creating if needed) `<dataDir>/kpi-lights.db` in WAL mode, so the API can read while
 * an evaluation round writes.
 *
 * @example
 * ```ts
 * const db = openDatabase('data');
 * const history = new KpiHistoryStore(db);
 * const versions = new PolicyVersionStore(db);
 * ```
 */
export function openDatabase(dataDir: string): ServerDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    part TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied INTEGER NOT NULL,
    PRIMARY KEY (part, version)
  )`);
  return db;
}
