/** Changes waiting for a second token under the two-person rule, kept in SQLite. */
import type { PolicyProposalInfo } from '../../sdk/types.js';
import type { ServerDatabase } from '../database/index.js';

/** A proposal with its exact text (never served as is). */
export interface PolicyProposal extends PolicyProposalInfo {
  readonly text: string;
}

interface ProposalRow {
  id: number;
  created: number;
  author: string;
  reason: string;
  text: string;
  base_version: number;
  rollback_of: number | null;
  state: PolicyProposalInfo['state'];
  version: number | null;
  approved_by: string | null;
}

/** What a proposer hands in. */
export interface NewProposal {
  readonly author: string;
  readonly reason: string;
  readonly text: string;
  readonly baseVersion: number;
  readonly rollbackOf?: number;
}

/**
 * Stores proposals and settles them once: approved (with the version it made) or superseded
 * (another change came first). Unlike the audit log, a proposal's state moves on.
 *
 * @example
 * ```ts
 * const proposals = new PolicyProposalStore(db); // after the policy migrations ran
 * const p = proposals.create({ author: 'ana', reason: 'warn later', text, baseVersion: 4 });
 * ```
 */
export class PolicyProposalStore {
  readonly #db: ServerDatabase;

  constructor(
    db: ServerDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.#db = db;
  }

  /** Saves a pending proposal. */
  create(p: NewProposal): PolicyProposal {
    const { lastInsertRowid } = this.#db
      .prepare(
        `INSERT INTO policy_proposals (created, author, reason, text, base_version, rollback_of)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(this.now(), p.author, p.reason, p.text, p.baseVersion, p.rollbackOf ?? null);
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): PolicyProposal | undefined {
    const row = this.#db
      .prepare<[number], ProposalRow>('SELECT * FROM policy_proposals WHERE id = ?')
      .get(id);
    return row && { ...info(row), text: row.text };
  }

  /** The pending proposal of exactly this text against this version, if there is one. */
  findPending(text: string, baseVersion: number): PolicyProposal | undefined {
    const row = this.#db
      .prepare<[string, number], ProposalRow>(
        `SELECT * FROM policy_proposals WHERE state = 'pending' AND text = ? AND base_version = ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(text, baseVersion);
    return row && { ...info(row), text: row.text };
  }

  /** Proposals, newest first. */
  list(limit = 100): PolicyProposalInfo[] {
    return this.#db
      .prepare<[number], ProposalRow>('SELECT * FROM policy_proposals ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map(info);
  }

  /** Marks a pending proposal approved (with its version) or superseded. */
  settle(id: number, outcome: { version: number; approvedBy: string } | 'superseded'): void {
    if (outcome === 'superseded') {
      this.#db
        .prepare(
          "UPDATE policy_proposals SET state = 'superseded' WHERE id = ? AND state = 'pending'",
        )
        .run(id);
      return;
    }
    this.#db
      .prepare(
        `UPDATE policy_proposals SET state = 'approved', version = ?, approved_by = ?
         WHERE id = ? AND state = 'pending'`,
      )
      .run(outcome.version, outcome.approvedBy, id);
  }
}

function info(row: ProposalRow): PolicyProposalInfo {
  return {
    id: row.id,
    created: new Date(row.created).toISOString(),
    author: row.author,
    reason: row.reason,
    baseVersion: row.base_version,
    state: row.state,
    version: row.version,
    approvedBy: row.approved_by,
    rollbackOf: row.rollback_of,
  };
}
