/** The append-only log of every attempt to change the policy: who, what, why, and how it ended. */
import type { PolicyAction, PolicyAuditEntry, PolicyIssue } from '../../sdk/types.js';
import type { ServerDatabase } from '../database/index.js';

/** One attempt to write down; `at` comes from the log's clock. */
export interface PolicyAttempt {
  readonly action: PolicyAction;
  readonly author: string;
  readonly reason: string;
  readonly hash: string;
  readonly outcome: 'accepted' | 'rejected';
  readonly version?: number | null;
  readonly detail?: string;
  readonly issues?: readonly PolicyIssue[];
}

interface AuditRow {
  id: number;
  at: number;
  action: PolicyAction;
  author: string;
  reason: string;
  hash: string;
  outcome: 'accepted' | 'rejected';
  version: number | null;
  detail: string;
  issues: string;
}

/**
 * Appends to `policy_audit` and reads it back. Nothing here (or anywhere) updates or deletes a
 * row, and the table's triggers refuse it, so the log is evidence and not a draft.
 *
 * @example
 * ```ts
 * const log = new PolicyAuditLog(db); // after the policy migrations ran
 * log.append({ action: 'change', author: 'ops', reason: 'typo', hash, outcome: 'rejected' });
 * ```
 */
export class PolicyAuditLog {
  readonly #insert;
  readonly #recent;

  constructor(
    db: ServerDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.#insert = db.prepare(
      `INSERT INTO policy_audit (at, action, author, reason, hash, outcome, version, detail, issues)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#recent = db.prepare<[number, number], AuditRow>(
      `SELECT id, at, action, author, reason, hash, outcome, version, detail, issues
       FROM policy_audit WHERE id < ? ORDER BY id DESC LIMIT ?`,
    );
  }

  /** Writes one attempt. */
  append(attempt: PolicyAttempt): void {
    this.#insert.run(
      this.now(),
      attempt.action,
      attempt.author,
      attempt.reason,
      attempt.hash,
      attempt.outcome,
      attempt.version ?? null,
      attempt.detail ?? '',
      JSON.stringify(attempt.issues ?? []),
    );
  }

  /** Entries newest first, `limit` of them, older than entry `before` when given. */
  recent(limit = 100, before = Number.MAX_SAFE_INTEGER): PolicyAuditEntry[] {
    return this.#recent.all(before, limit).map((r) => ({
      ...r,
      at: new Date(r.at).toISOString(),
      issues: JSON.parse(r.issues) as PolicyIssue[],
    }));
  }
}
