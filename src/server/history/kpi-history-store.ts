/** KPI readings over time in SQLite: one transaction per evaluation round, charts read buckets. */

import type { KpiStatus } from '../../sdk/types.js';
import { STATUS_BY_RANK, STATUS_RANK } from '../../shared/status.js';
import { migrate, type ServerDatabase } from '../database/index.js';
import { bucketGrid } from './bucket-grid.js';

/** One KPI (or KPI group) value from one evaluation round. */
export interface StoredReading {
  readonly kpi: string;
  /** {@link groupKey} of the group for `by:` KPIs; `''` for the whole KPI. */
  readonly group: string;
  /** Evaluation time, ms since the epoch. */
  readonly t: number;
  /** `null` when unknown; NaN is stored as `null` too. */
  readonly value: number | null;
  readonly status: KpiStatus;
  readonly policyVersion: number;
}

/** A history request: `[from, to]` in ms, cut into `stepMs` buckets. */
export interface HistoryRange {
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
  /** Group key; default `''`, the whole KPI. */
  readonly group?: string;
}

/** Columnar buckets, ready for a chart. */
export interface HistoryColumns {
  /** Bucket starts (multiples of the step). */
  readonly t: number[];
  /** Mean value in the bucket, `null` when it had none. */
  readonly v: (number | null)[];
  /** Worst status in the bucket; `unknown` when it had no reading. */
  readonly status: KpiStatus[];
  /** Newest policy version behind a reading in the bucket; `null` when it had none. */
  readonly version: (number | null)[];
}

/** Options of {@link KpiHistoryStore}. */
export interface KpiHistoryOptions {
  /** How long readings are kept. Default 35 days. */
  readonly retentionMs?: number;
}

const MIGRATIONS = [
  `CREATE TABLE kpi_readings (
     kpi TEXT NOT NULL,
     grp TEXT NOT NULL,
     t INTEGER NOT NULL,
     value REAL,
     status INTEGER NOT NULL, -- STATUS_RANK, so MAX picks the worst: a gap is never painted green
     policy_version INTEGER NOT NULL,
     PRIMARY KEY (kpi, grp, t)
   ) WITHOUT ROWID;
   CREATE INDEX kpi_readings_t ON kpi_readings (t);`,
];

/**
 * Keeps KPI readings and answers bucketed history. Buckets average the values (every reading
 * counts, where "last in bucket" would show one arbitrary sample of a long bucket) and keep the
 * worst status (so a short breach stays visible even when the average hides it).
 *
 * @example
 * ```ts
 * const history = new KpiHistoryStore(openDatabase('data'));
 * history.record(readings);
 * const { t, v, status } = history.query('efile-error-rate', { from, to, stepMs: 60_000 });
 * ```
 */
export class KpiHistoryStore {
  readonly retentionMs: number;
  readonly #db: ServerDatabase;
  readonly #insert;
  readonly #buckets;
  readonly #prune;
  readonly #groups;
  readonly #page;

  constructor(db: ServerDatabase, options: KpiHistoryOptions = {}) {
    this.#db = db;
    this.retentionMs = options.retentionMs ?? 35 * 86_400_000;
    migrate(db, 'history', MIGRATIONS);
    this.#insert = db.prepare(
      `INSERT OR REPLACE INTO kpi_readings (kpi, grp, t, value, status, policy_version)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#buckets = db.prepareTuples<
      [{ step: number; kpi: string; grp: string; start: number; end: number }],
      [b: number, v: number | null, s: number, pv: number]
    >(
      `SELECT CAST(t / @step AS INTEGER) AS b, AVG(value) AS v, MAX(status) AS s,
              MAX(policy_version) AS pv
       FROM kpi_readings WHERE kpi = @kpi AND grp = @grp AND t >= @start AND t < @end
       GROUP BY b ORDER BY b`,
    );
    this.#prune = db.prepare('DELETE FROM kpi_readings WHERE t < ?');
    // Keyset paging in (t, kpi, grp) order: each page starts where the last ended, on the t index.
    this.#page = db.prepareTuples<
      [{ since: number; until: number; t: number; kpi: string; grp: string; limit: number }],
      [kpi: string, grp: string, t: number, value: number | null, s: number, version: number]
    >(
      `SELECT kpi, grp, t, value, status AS s, policy_version AS version FROM kpi_readings
       WHERE t > @since AND t <= @until AND (t, kpi, grp) > (@t, @kpi, @grp)
       ORDER BY t, kpi, grp LIMIT @limit`,
    );
    this.#groups = db.prepare<[string], { grp: string }>(
      'SELECT DISTINCT grp FROM kpi_readings WHERE kpi = ? ORDER BY grp',
    );
  }

  /** Stores one evaluation round atomically; a reading for the same KPI, group and time replaces the old one. */
  record(readings: readonly StoredReading[]): void {
    this.#db.transaction(() => {
      for (const r of readings) {
        const value = r.value === null || Number.isNaN(r.value) ? null : r.value;
        this.#insert.run(
          r.kpi,
          r.group,
          Math.floor(r.t),
          value,
          STATUS_RANK[r.status],
          r.policyVersion,
        );
      }
    })();
  }

  /**
   * Readings of one KPI (group) in `stepMs` buckets. Buckets are whole: the first starts at
   * `floor(from / step) * step` and the last holds `to`. Every bucket is present.
   */
  query(kpi: string, range: HistoryRange): HistoryColumns {
    const { stepMs } = range;
    const { first, count, t } = bucketGrid(range);
    const last = first + count - 1;
    const v: (number | null)[] = new Array(count).fill(null);
    const status: KpiStatus[] = new Array(count).fill('unknown');
    const version: (number | null)[] = new Array(count).fill(null);
    const rows = this.#buckets.all({
      step: stepMs,
      kpi,
      grp: range.group ?? '',
      start: first * stepMs,
      end: (last + 1) * stepMs,
    });
    for (const [b, value, s, pv] of rows) {
      const i = b - first;
      v[i] = value;
      status[i] = STATUS_BY_RANK[s];
      version[i] = pv;
    }
    return { t, v, status, version };
  }

  /** Drops readings older than the retention; answers how many went. */
  prune(nowMs: number): number {
    return this.#prune.run(nowMs - this.retentionMs).changes;
  }

  /**
   * Readings with `sinceMs < t <= untilMs` in (time, KPI, group) order, at most `limit`, after
   * the reading `after` (the last of the previous page), for the export feed.
   *
   * @example
   * ```ts
   * let page = history.readingsAfter({ sinceMs, untilMs, limit: 1_000 });
   * page = history.readingsAfter({ sinceMs, untilMs, limit: 1_000, after: page.at(-1) });
   * ```
   */
  readingsAfter(range: {
    readonly sinceMs: number;
    readonly untilMs: number;
    readonly limit: number;
    readonly after?: Pick<StoredReading, 't' | 'kpi' | 'group'>;
  }): StoredReading[] {
    const rows = this.#page.all({
      since: range.sinceMs,
      until: range.untilMs,
      t: range.after?.t ?? Number.MIN_SAFE_INTEGER,
      kpi: range.after?.kpi ?? '',
      grp: range.after?.group ?? '',
      limit: range.limit,
    });
    return rows.map(([kpi, group, t, value, s, policyVersion]) => ({
      kpi,
      group,
      t,
      value,
      status: STATUS_BY_RANK[s],
      policyVersion,
    }));
  }

  /** The group keys a KPI has readings for. */
  groups(kpi: string): string[] {
    return this.#groups.all(kpi).map((r) => r.grp);
  }
}
