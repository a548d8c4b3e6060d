/** Schema migrations per part of the server (history, policy), applied once each and never edited. */
import type { ServerDatabase } from './server-database.js';

/**
 * Brings one part's tables up to date: step `i` (version `i + 1`) runs once, ever, in a
 * transaction with its record. Steps are only ever appended, never edited.
 *
 * @example
 * ```ts
 * migrate(db, 'history', ['CREATE TABLE kpi_readings (kpi TEXT NOT NULL)']);
 * ```
 */
export function migrate(db: ServerDatabase, part: string, steps: readonly string[]): void {
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
