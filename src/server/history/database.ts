/** The server's one SQLite file: opened in WAL mode, with per-part schema migrations. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** An open database; the same handle is shared by policy versions and KPI history. */
export type KpiDatabase = Database.Database;

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
export function openDatabase(dataDir: string): KpiDatabase {
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

/**
 * Brings one part's tables up to date: step `i` (version `i + 1`) runs once, ever, in a
 * transaction with its record. Steps are only ever appended, never edited.
 */
export function migrate(db: KpiDatabase, part: string, steps: readonly string[]): void {
  const row = db
    .prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations WHERE part = ?')
    .get(part) as { v: number };
  const record = db.prepare(
    'INSERT INTO schema_migrations (part, version, applied) VALUES (?, ?, ?)',
  );
  for (let v = row.v + 1; v <= steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v - 1]);
      record.run(part, v, Date.now());
    })();
  }
}
