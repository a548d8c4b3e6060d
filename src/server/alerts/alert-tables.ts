/** The alert core's tables in the server's database: alerts, notice groups, silences, outbox. */
import { migrate, type ServerDatabase } from '../database/index.js';

/**
 * Migrations of the `alerts` part; append only. Rows keep their body as JSON: the core reads
 * them whole, and the columns beside it are the ones queries select or order by.
 */
const STEPS = [
  `CREATE TABLE alert_instances (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    body TEXT NOT NULL
  )`,
  `CREATE TABLE alert_groups (
    receiver TEXT NOT NULL,
    group_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (receiver, group_key)
  )`,
  `CREATE TABLE alert_silences (
    id TEXT PRIMARY KEY,
    ends_at INTEGER NOT NULL,
    body TEXT NOT NULL
  )`,
  `CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    destination TEXT NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    batch INTEGER,
    failed_at INTEGER,
    last_error TEXT
  )`,
  'CREATE INDEX alert_outbox_unsent ON alert_outbox (destination, id) WHERE sent_at IS NULL AND failed_at IS NULL',
  // Per-notice delivery: a notice waits only behind its own group's earlier ones; refused
  // notices are counted and given up with a reason; pending bytes are bounded.
  `ALTER TABLE alert_outbox ADD COLUMN group_key TEXT;
   ALTER TABLE alert_outbox ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alert_outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alert_outbox ADD COLUMN given_up_because TEXT;
   UPDATE alert_outbox SET group_key = json_extract(body, '$.groupKey'), bytes = length(body);`,
];

/**
 * Creates or updates the alert tables.
 *
 * @example
 * ```ts
 * migrateAlertTables(openDatabase('data'));
 * ```
 */
export function migrateAlertTables(db: ServerDatabase): void {
  migrate(db, 'alerts', STEPS);
}
