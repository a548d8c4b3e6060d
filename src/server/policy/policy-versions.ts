/** Durable, numbered policy versions (who, when, why, exact text, diff) and the audit of every attempt. */
import { createHash, randomBytes } from 'node:crypto';
import type {
  PolicyAction,
  PolicyAuditEntry,
  PolicyIssue,
  PolicyVersionInfo,
} from '../../sdk/types.js';
import { migrate, type ServerDatabase } from '../database/index.js';
import { unifiedDiff } from './line-diff.js';
import { PolicyAuditLog } from './policy-audit.js';
import { publicPolicyHash } from './policy-hash.js';
import { POLICY_MIGRATIONS } from './policy-migrations.js';
import { PolicyProposalStore } from './policy-proposals.js';
import { redactPolicy } from './redact-policy.js';

export type { PolicyAuditEntry } from '../../sdk/types.js';
export { publicPolicyHash as policyHash } from './policy-hash.js';

/** Who changes the policy and why, and how. */
export interface PolicyChange {
  readonly author: string;
  readonly reason: string;
  /** What kind of attempt this is, for the audit log. Default `change`. */
  readonly action?: PolicyAction;
  /** The version whose content a rollback restores. */
  readonly rollbackOf?: number;
  /** The second token, under the two-person rule. */
  readonly approvedBy?: string;
  /** A note for the audit log (e.g. `proposal 3`). */
  readonly detail?: string;
}

/** A stored version with its exact text (secrets included: never served as is) and its diff. */
export interface PolicyVersion extends PolicyVersionInfo {
  readonly text: string;
  /** Unified diff of the redacted text from the version before. */
  readonly diff: string;
}

interface VersionRow {
  version: number;
  /** sha256 of the exact text: the private identity, never served. */
  hash: string;
  created: number;
  author: string;
  reason: string;
  text: string;
  diff: string;
  rollback_of: number | null;
  approved_by: string | null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The diff readers see between two texts: both redacted, a secret that changed marked
 * `<secret changed>` (never shown), so a change of secrets alone is not an empty diff.
 *
 * @example
 * ```ts
 * publicDiff(before, after, { from: 'version 1', to: 'version 2' });
 * ```
 */
export function publicDiff(
  before: string,
  after: string,
  names: { readonly from: string; readonly to: string },
): string {
  return unifiedDiff(redactPolicy(before), redactPolicy(after, { previous: before }), names);
}

/** Options of {@link PolicyVersionStore}. */
export interface PolicyVersionStoreOptions {
  /** Read only, migrating nothing: for the CLI reading a server's file. Default false. */
  readonly readOnly?: boolean;
}

/**
 * Numbers every change once: each accepted text that differs from the version in force becomes
 * the next version, a rollback to older content included, so the list reads as what happened.
 * Text equal to the version in force changes nothing (a restart, a reload of an unchanged file).
 *
 * @example
 * ```ts
 * const versions = new PolicyVersionStore(openDatabase('data'));
 * const { version } = versions.record(text, { author: 'ops', reason: 'raise latency threshold' });
 * ```
 */
export class PolicyVersionStore {
  readonly #db: ServerDatabase;
  readonly #log: PolicyAuditLog;
  /** Changes awaiting a second token (two-person rule), in the same tables' part. */
  readonly proposals: PolicyProposalStore;
  /** Public hashes by version: rows never change, and redaction parses YAML. */
  readonly #publicHash = new Map<number, string>();
  /** The key of the secrets' digest in public hashes; absent only in an old file read read-only. */
  readonly #secretKey: Uint8Array | undefined;

  constructor(
    db: ServerDatabase,
    private readonly now: () => number = Date.now,
    options: PolicyVersionStoreOptions = {},
  ) {
    this.#db = db;
    if (!options.readOnly) {
      migrate(db, 'policy', POLICY_MIGRATIONS);
      db.prepare('INSERT OR IGNORE INTO policy_secret_key (id, key) VALUES (1, ?)').run(
        randomBytes(32),
      );
    }
    this.#secretKey = readSecretKey(db);
    this.#log = new PolicyAuditLog(db, now);
    this.proposals = new PolicyProposalStore(db, now);
  }

  /**
   * Records accepted text as the next version, with its diff, and audits it; answers the new
   * version, or the one in force when the text is the same.
   */
  record(text: string, change: PolicyChange): PolicyVersionInfo {
    return this.#db.transaction(() => {
      const before = this.#latestRow();
      const action = change.action ?? 'change';
      if (before?.text === text) {
        const same = this.#info(before);
        this.#log.append({
          ...change,
          action,
          hash: same.hash,
          outcome: 'accepted',
          version: same.version,
          detail: change.detail ?? `no change: the text is version ${same.version}'s`,
        });
        return same;
      }
      const next = (before?.version ?? 0) + 1;
      const diff = before
        ? publicDiff(before.text, text, {
            from: `version ${before.version}`,
            to: `version ${next}`,
          })
        : '';
      this.#db
        .prepare(
          `INSERT INTO policy_versions
             (version, hash, created, author, reason, text, diff, rollback_of, approved_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          next,
          sha256(text),
          this.now(),
          change.author,
          change.reason,
          text,
          diff,
          change.rollbackOf ?? null,
          change.approvedBy ?? null,
        );
      const version = this.#info(this.#row(next)!);
      this.#log.append({
        ...change,
        // The log names who acted: for an approval, the approver (the version keeps the proposer).
        author: change.approvedBy ?? change.author,
        action,
        hash: version.hash,
        outcome: 'accepted',
        version: next,
      });
      return version;
    })();
  }

  /** Notes a refused attempt and why, without making a version. */
  recordRejected(
    text: string,
    change: PolicyChange,
    issues: readonly PolicyIssue[],
    detail = '',
  ): void {
    this.#log.append({
      ...change,
      action: change.action ?? 'change',
      hash: text === '' ? '' : this.hashOf(text),
      outcome: 'rejected',
      detail: detail || change.detail || '',
      issues,
    });
  }

  /** Notes an accepted attempt that makes no version (a proposal). */
  auditAccepted(text: string, change: PolicyChange): void {
    this.#log.append({
      ...change,
      action: change.action ?? 'change',
      hash: this.hashOf(text),
      outcome: 'accepted',
    });
  }

  /**
   * The public hash of any text under this database's key, as a version of it would have: what
   * an ETag or an audit entry shows.
   */
  hashOf(text: string): string {
    return publicPolicyHash(text, this.#secretKey);
  }

  /** Every version, oldest first, without text. */
  list(): PolicyVersionInfo[] {
    const rows = this.#db
      .prepare<[], VersionRow>('SELECT * FROM policy_versions ORDER BY version')
      .all();
    return rows.map((row) => this.#info(row));
  }

  /** One version with its text and diff. */
  get(version: number): PolicyVersion | undefined {
    const row = this.#row(version);
    return row && this.#version(row);
  }

  /** The version in force: the newest. */
  latest(): PolicyVersion | undefined {
    const row = this.#latestRow();
    return row && this.#version(row);
  }

  /** The version in force at `atMs`: the newest created at or before it; none before the first. */
  inForce(atMs: number): PolicyVersionInfo | undefined {
    const row = this.#db
      .prepare<[number], VersionRow>(
        'SELECT * FROM policy_versions WHERE created <= ? ORDER BY version DESC LIMIT 1',
      )
      .get(atMs);
    return row && this.#info(row);
  }

  /** Recent attempts, newest first; `before` pages back by entry id. */
  audit(limit = 100, before?: number): PolicyAuditEntry[] {
    return this.#log.recent(limit, before);
  }

  #row(version: number): VersionRow | undefined {
    return this.#db
      .prepare<[number], VersionRow>('SELECT * FROM policy_versions WHERE version = ?')
      .get(version);
  }

  #latestRow(): VersionRow | undefined {
    return this.#db
      .prepare<[], VersionRow>('SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1')
      .get();
  }

  /**
   * A version with its diff made now, not the one stored when it was recorded: redaction may
   * have learnt to hide more since, and a stored diff would keep showing what it missed.
   */
  #version(row: VersionRow): PolicyVersion {
    const before = row.version > 1 ? this.#row(row.version - 1) : undefined;
    const diff = before
      ? publicDiff(before.text, row.text, {
          from: `version ${before.version}`,
          to: `version ${row.version}`,
        })
      : '';
    return { ...this.#info(row), text: row.text, diff };
  }

  /** A row as readers see it: the public hash, never the text's own. */
  #info(row: VersionRow): PolicyVersionInfo {
    let hash = this.#publicHash.get(row.version);
    if (hash === undefined) {
      hash = this.hashOf(row.text);
      this.#publicHash.set(row.version, hash);
    }
    return {
      version: row.version,
      hash,
      created: new Date(row.created).toISOString(),
      author: row.author,
      reason: row.reason,
      ...(row.rollback_of !== null &&
        row.rollback_of !== undefined && { rollbackOf: row.rollback_of }),
      ...(row.approved_by !== null &&
        row.approved_by !== undefined && { approvedBy: row.approved_by }),
    };
  }
}

/** The database's secret-digest key, when its table exists (a read-only open of an old file may lack it). */
function readSecretKey(db: ServerDatabase): Uint8Array | undefined {
  try {
    const row = db.prepare('SELECT key FROM policy_secret_key WHERE id = 1').get() as
      | { key: Uint8Array }
      | undefined;
    return row?.key;
  } catch {
    return undefined;
  }
}
