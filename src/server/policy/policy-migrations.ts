/** The policy tables' migrations: versions, the append-only audit log, proposals. Only ever appended. */

/** Steps of the `policy` part, in order (see `migrate`). */
export const POLICY_MIGRATIONS: readonly string[] = [
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
  // Governance: every change is a new version (a rollback too), so the text's hash is no longer
  // unique; each version keeps its diff. The audit log says what was tried, and refuses to be
  // rewritten. Deferred foreign keys let the audit's references follow the rebuilt table.
  `PRAGMA defer_foreign_keys = ON;
   CREATE TABLE policy_versions_next (
     version INTEGER PRIMARY KEY,
     hash TEXT NOT NULL,
     created INTEGER NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     text TEXT NOT NULL,
     diff TEXT NOT NULL DEFAULT '',
     rollback_of INTEGER,
     approved_by TEXT
   );
   INSERT INTO policy_versions_next (version, hash, created, author, reason, text)
     SELECT version, hash, created, author, reason, text FROM policy_versions;
   DROP TABLE policy_versions;
   ALTER TABLE policy_versions_next RENAME TO policy_versions;
   CREATE INDEX policy_versions_created ON policy_versions (created);
   ALTER TABLE policy_audit ADD COLUMN action TEXT NOT NULL DEFAULT 'change';
   ALTER TABLE policy_audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
   CREATE TRIGGER policy_audit_no_update BEFORE UPDATE ON policy_audit
     BEGIN SELECT RAISE(ABORT, 'the policy audit log is append-only'); END;
   CREATE TRIGGER policy_audit_no_delete BEFORE DELETE ON policy_audit
     BEGIN SELECT RAISE(ABORT, 'the policy audit log is append-only'); END;
   CREATE TABLE policy_proposals (
     id INTEGER PRIMARY KEY,
     created INTEGER NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     text TEXT NOT NULL,
     base_version INTEGER NOT NULL,
     rollback_of INTEGER,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'superseded')),
     version INTEGER,
     approved_by TEXT
   );`,
];
