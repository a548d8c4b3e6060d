/** Alerts in SQLite: each alert's state and times, so a restart goes on where it stopped. */
import type { ServerDatabase } from '../database/index.js';
import type { AlertInstance } from './alert-instance.js';
import { migrateAlertTables } from './alert-tables.js';

/**
 * Every pending, firing and not yet forgotten resolved alert, kept in memory and written
 * through to `alert_instances`.
 *
 * @example
 * ```ts
 * const store = new AlertStore(db);
 * db.transaction(() => store.replaceRule('EfileErrors', next))();
 * ```
 */
export class AlertStore {
  readonly #db: ServerDatabase;
  readonly #alerts = new Map<string, AlertInstance>();
  readonly #put;
  readonly #delete;

  constructor(db: ServerDatabase) {
    migrateAlertTables(db);
    this.#db = db;
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO alert_instances (id, rule, body) VALUES (?, ?, ?)',
    );
    this.#delete = db.prepare('DELETE FROM alert_instances WHERE id = ?');
    const rows = db.prepare('SELECT body FROM alert_instances').all() as { body: string }[];
    for (const row of rows) {
      const a = JSON.parse(row.body) as AlertInstance;
      this.#alerts.set(a.id, a);
    }
  }

  all(): AlertInstance[] {
    return [...this.#alerts.values()];
  }

  get(id: string): AlertInstance | undefined {
    return this.#alerts.get(id);
  }

  /** The alerts of one rule. */
  ofRule(rule: string): AlertInstance[] {
    return this.all().filter((a) => a.rule === rule);
  }

  /**
   * Sets a rule's alerts to `next`: new and changed ones written, missing ones deleted. Returns
   * the alerts whose state changed (with the ones that disappeared, as `resolved`). Call inside
   * a transaction with the rest of the round.
   */
  replaceRule(rule: string, next: readonly AlertInstance[], nowMs: number): AlertInstance[] {
    const changed: AlertInstance[] = [];
    const keep = new Set(next.map((a) => a.id));
    for (const old of this.ofRule(rule)) {
      if (keep.has(old.id)) continue;
      this.#delete.run(old.id);
      this.#alerts.delete(old.id);
      // A pending alert that stopped: viewers drop it; it never fired, so no notice follows.
      if (old.state === 'pending') changed.push({ ...old, state: 'resolved', resolvedAt: nowMs });
    }
    for (const a of next) {
      const old = this.#alerts.get(a.id);
      if (old && JSON.stringify(old) === JSON.stringify(a)) continue;
      this.#put.run(a.id, a.rule, JSON.stringify(a));
      this.#alerts.set(a.id, a);
      if (!old || old.state !== a.state || old.activeAt !== a.activeAt) changed.push(a);
    }
    return changed;
  }

  /** Forgets an alert (a resolved one whose notices are out). */
  forget(id: string): void {
    this.#delete.run(id);
    this.#alerts.delete(id);
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }
}
