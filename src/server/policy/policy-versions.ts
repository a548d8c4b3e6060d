/** Durable, numbered policy versions (who, when, why, exact text) and an audit of every attempt. */
import { createHash } from 'node:crypto';
import type { PolicyIssue, PolicyVersionInfo } from '../../sdk/types.js';
import { migrate, type ServerDatabase } from '../database/index.js';
import { redactPolicy } from './redact-policy.js';

/** Who changes the policy and why. */
export interface PolicyChange {
  readonly author: string;
  readonly reason: string;
}

/** A stored version with its text. */
export interface PolicyVersion extends PolicyVersionInfo {
  readonly text: string;
}

/** One load or change attempt, accepted or not. */
export interface PolicyAuditEntry {
  readonly at: string;
  readonly author: string;
  readonly reason: string;
  readonly hash: string;
  readonly outcome: 'accepted' | 'rejected';
  /** The version the attempt resolved to, when accepted. */
  readonly version: number | null;
  readonly issues: readonly PolicyIssue[];
}

const MIGRATIONS = [
  `CREATE TABLE policy_versions (
     version INTEGER PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     created INTEGER NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     text TEXT NOT NULL
   );
   CREATE TABLE policy_audit (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     hash TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
     version INTEGER REFERENCES policy_versions (version),
     issues TEXT NOT NULL
   );`,
  // Versions loaded before readers were shown relative names said "loaded from /abs/path/x.yaml";
  // keep the file name alone (what follows the last "/"), as a reader may see these reasons.
  `UPDATE policy_versions
     SET reason = 'loaded from ' || replace(substr(reason, 13), rtrim(substr(reason, 13), replace(substr(reason, 13), '/', '')), '')
     WHERE author = 'config file' AND reason LIKE 'loaded from /%';`,
];

interface VersionRow {
  version: number;
  /** sha256 of the exact text (`textKey`): the private identity, never served. */
  hash: string;
  created: number;
  author: string;
  reason: string;
  text: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The public hash of a policy (ETag, `/policy/versions`): sha256 of the text as readers see it,
 * secrets redacted. A hash of the raw text would let anyone check a guessed token offline
 * against the public redacted text. For a file without inline secrets it equals
 * `sha256sum kpi-lights.yaml`, and an upgrade that changes defaults never changes it.
 *
 * @example
 * ```ts
 * policyHash('kpis: []\n'); // sha256 of 'kpis: []\n'
 * ```
 */
export function policyHash(text: string): string {
  return sha256(redactPolicy(text));
}

/**
 * The private identity of a version: sha256 of the exact text, kept in the database only. Two
 * texts differing in a token alone are two versions, though they share a public hash.
 */
function textKey(text: string): string {
  return sha256(text);
}

/**
 * Numbers each distinct policy text once. Recording text seen before answers its existing
 * version (and makes it the latest again) rather than adding one.
 *
 * @example
 * ```ts
 * const versions = new PolicyVersionStore(openDatabase('data'));
 * const { version } = versions.record(text, { author: 'ops', reason: 'raise latency threshold' });
 * ```
 */
export class PolicyVersionStore {
  readonly #db: ServerDatabase;
  readonly #byHash;
  readonly #insert;
  readonly #audit;
  /** Public hashes by version: rows never change, and redaction parses YAML. */
  readonly #publicHash = new Map<number, string>();

  constructor(
    db: ServerDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.#db = db;
    migrate(db, 'policy', MIGRATIONS);
    this.#byHash = db.prepare<[string], VersionRow>('SELECT * FROM policy_versions WHERE hash = ?');
    this.#insert = db.prepare(
      'INSERT INTO policy_versions (hash, created, author, reason, text) VALUES (?, ?, ?, ?, ?)',
    );
    this.#audit = db.prepare(
      `INSERT INTO policy_audit (at, author, reason, hash, outcome, version, issues)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Records accepted text; answers its version, new or existing. */
  record(text: string, change: PolicyChange): PolicyVersionInfo {
    return this.#db.transaction(() => {
      const key = textKey(text);
      const at = this.now();
      let row = this.#byHash.get(key);
      if (!row) {
        this.#insert.run(key, at, change.author, change.reason, text);
        row = this.#byHash.get(key)!;
      }
      const version = this.#info(row);
      this.#audit.run(
        at,
        change.author,
        change.reason,
        version.hash,
        'accepted',
        row.version,
        '[]',
      );
      return version;
    })();
  }

  /** Notes a refused attempt and why, without making a version. */
  recordRejected(text: string, change: PolicyChange, issues: readonly PolicyIssue[]): void {
    this.#audit.run(
      this.now(),
      change.author,
      change.reason,
      policyHash(text),
      'rejected',
      null,
      JSON.stringify(issues),
    );
  }

  /** Every version, oldest first, without text. */
  list(): PolicyVersionInfo[] {
    const rows = this.#db
      .prepare<[], VersionRow>('SELECT * FROM policy_versions ORDER BY version')
      .all();
    return rows.map((row) => this.#info(row));
  }

  /** One version with its text. */
  get(version: number): PolicyVersion | undefined {
    const row = this.#db
      .prepare<[number], VersionRow>('SELECT * FROM policy_versions WHERE version = ?')
      .get(version);
    return row && { ...this.#info(row), text: row.text };
  }

  /** The version accepted most recently (which may be an older number brought back). */
  latest(): PolicyVersion | undefined {
    const row = this.#db
      .prepare<[], VersionRow>(
        `SELECT v.* FROM policy_audit a JOIN policy_versions v ON v.version = a.version
         WHERE a.outcome = 'accepted' ORDER BY a.id DESC LIMIT 1`,
      )
      .get();
    return row && { ...this.#info(row), text: row.text };
  }

  /** A row as readers see it: the public hash, never the text's own. */
  #info(row: VersionRow): PolicyVersionInfo {
    let hash = this.#publicHash.get(row.version);
    if (hash === undefined) {
      hash = policyHash(row.text);
      this.#publicHash.set(row.version, hash);
    }
    return {
      version: row.version,
      hash,
      created: new Date(row.created).toISOString(),
      author: row.author,
      reason: row.reason,
    };
  }

  /** Recent attempts, newest first. */
  audit(limit = 100): PolicyAuditEntry[] {
    const rows = this.#db
      .prepare<[number], Omit<PolicyAuditEntry, 'at' | 'issues'> & { at: number; issues: string }>(
        'SELECT at, author, reason, hash, outcome, version, issues FROM policy_audit ORDER BY id DESC LIMIT ?',
      )
      .all(limit);
    return rows.map((r) => ({
      ...r,
      at: new Date(r.at).toISOString(),
      issues: JSON.parse(r.issues) as PolicyIssue[],
    }));
  }
}
