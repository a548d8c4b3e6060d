/** The outbox's rows in SQLite: what is owed per destination, marked sent, retried, refused or given up. */
import type { ServerDatabase } from '../database/index.js';
import type { Notification } from './notification.js';

/** A pending row as the delivery loop reads it (no body: loaded only for what is sent). */
export interface PendingRow {
  readonly id: number;
  /** The notice group: a notice waits only behind its own group's earlier ones. */
  readonly group_key: string | null;
  readonly attempts: number;
  /** Tries the receiver refused outright (a 4xx): a few of these and the row is given up. */
  readonly refusals: number;
  readonly next_attempt_at: number;
  readonly created_at: number;
  readonly bytes: number;
}

/** Why a notice was given up: the label value on `/metrics` and the reason kept in its row. */
export type GiveUpReason = 'refused' | 'expired' | 'receiver-gone' | 'outbox-full';

/** Most notices and bytes one destination may hold undelivered. Every field is optional. */
export interface OutboxBounds {
  /** Default 10 000. */
  readonly maxPending?: number;
  /** Default 64 MiB. */
  readonly maxPendingBytes?: number;
}

export const OUTBOX_BOUNDS = { maxPending: 10_000, maxPendingBytes: 64 * 1024 * 1024 } as const;

const UNSENT = 'sent_at IS NULL AND failed_at IS NULL';

/**
 * The `alert_outbox` table's statements, one place: the loop in `outbox.ts` decides, this
 * reads and writes.
 *
 * @example
 * ```ts
 * const table = new OutboxTable(db); // after migrateAlertTables
 * table.insert('oncall/webhook', notice);
 * ```
 */
export class OutboxTable {
  readonly #db: ServerDatabase;

  constructor(db: ServerDatabase) {
    this.#db = db;
  }

  /** Adds a notice for one destination; a dedup key already there is ignored. */
  insert(destination: string, channel: string, n: Notification): void {
    const body = JSON.stringify(n);
    this.#db
      .prepare(
        `INSERT OR IGNORE INTO alert_outbox
           (destination, dedup_key, body, created_at, next_attempt_at, group_key, bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        destination,
        `${n.dedupKey}/${channel}`,
        body,
        n.createdAt,
        n.createdAt,
        n.groupKey,
        Buffer.byteLength(body),
      );
  }

  /** Destinations with anything owed. */
  destinations(): string[] {
    return (
      this.#db.prepare(`SELECT DISTINCT destination FROM alert_outbox WHERE ${UNSENT}`).all() as {
        destination: string;
      }[]
    ).map((r) => r.destination);
  }

  /** A destination's owed rows, oldest first. */
  pending(destination: string): PendingRow[] {
    return this.#db
      .prepare(
        `SELECT id, group_key, attempts, refusals, next_attempt_at, created_at, bytes
         FROM alert_outbox WHERE destination = ? AND ${UNSENT} ORDER BY id`,
      )
      .all(destination) as PendingRow[];
  }

  /** Owed rows and their bytes, one destination. */
  pendingTotal(destination: string): { count: number; bytes: number } {
    return this.#db
      .prepare(
        `SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM alert_outbox
         WHERE destination = ? AND ${UNSENT}`,
      )
      .get(destination) as { count: number; bytes: number };
  }

  /** Owed rows, all destinations. */
  pendingCount(): number {
    return (
      this.#db.prepare(`SELECT COUNT(*) AS n FROM alert_outbox WHERE ${UNSENT}`).get() as {
        n: number;
      }
    ).n;
  }

  /** Owed rows and bytes per destination, for `/metrics`. */
  pendingByDestination(): { destination: string; n: number; bytes: number }[] {
    return this.#db
      .prepare(
        `SELECT destination, COUNT(*) AS n, SUM(bytes) AS bytes FROM alert_outbox
         WHERE ${UNSENT} GROUP BY destination`,
      )
      .all() as { destination: string; n: number; bytes: number }[];
  }

  /** The notices of these rows, in the rows' order. */
  notices(rows: readonly PendingRow[]): Notification[] {
    const get = this.#db.prepare('SELECT body FROM alert_outbox WHERE id = ?');
    return rows.map((r) => JSON.parse((get.get(r.id) as { body: string }).body) as Notification);
  }

  /** Marks rows delivered, as one message (`batch` is its first row's id). */
  markSent(rows: readonly PendingRow[], at: number): void {
    const done = this.#db.prepare(
      'UPDATE alert_outbox SET sent_at = ?, batch = ?, last_error = NULL WHERE id = ?',
    );
    this.#db.transaction(() => {
      for (const r of rows) done.run(at, rows[0].id, r.id);
    })();
  }

  /** Counts a failed try on each row, with when to try again and why it failed. */
  markFailed(rows: readonly PendingRow[], nextAt: number, error: string, refused: boolean): void {
    const update = this.#db.prepare(
      `UPDATE alert_outbox SET attempts = attempts + 1, refusals = refusals + ?,
         next_attempt_at = ?, last_error = ? WHERE id = ?`,
    );
    this.#db.transaction(() => {
      for (const r of rows) update.run(refused ? 1 : 0, nextAt, error, r.id);
    })();
  }

  /** Gives a row up, keeping why. */
  giveUp(row: Pick<PendingRow, 'id'>, reason: GiveUpReason, at: number): void {
    this.#db
      .prepare('UPDATE alert_outbox SET failed_at = ?, given_up_because = ? WHERE id = ?')
      .run(at, reason, row.id);
  }

  /** Why the rows given up were given up, with the last error: what an operator looks at. */
  givenUp(limit = 100): { id: number; destination: string; reason: string; lastError: string }[] {
    return this.#db
      .prepare(
        `SELECT id, destination, given_up_because AS reason, COALESCE(last_error, '') AS lastError
         FROM alert_outbox WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as { id: number; destination: string; reason: string; lastError: string }[];
  }

  /** Drops delivered and given-up rows older than `before`. */
  prune(before: number): void {
    this.#db.prepare('DELETE FROM alert_outbox WHERE COALESCE(sent_at, failed_at) < ?').run(before);
  }
}
