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
  // unique; each version keeps its diff, and the audit says what was tried. Both tables are
  // rebuilt, the audit pointing at the new versions table before the old one goes, so no
  // foreign key ever points at a dropped row.
  `CREATE TABLE policy_versions_next (
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
   CREATE TABLE policy_audit_next (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     action TEXT NOT NULL,
     author TEXT NOT NULL,
     reason TEXT NOT NULL,
     hash TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
     version INTEGER REFERENCES policy_versions_next (version),
     detail TEXT NOT NULL,
     issues TEXT NOT NULL
   );
   INSERT INTO policy_audit_next (id, at, action, author, reason, hash, outcome, version, detail, issues)
     SELECT id, at, 'change', author, reason, hash, outcome, version, '', issues FROM policy_audit;
   DROP TABLE policy_audit;
   DROP TABLE policy_versions;
   ALTER TABLE policy_versions_next RENAME TO policy_versions;
   ALTER TABLE policy_audit_next RENAME TO policy_audit;
   CREATE INDEX policy_versions_created ON policy_versions (created);
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
  // The key of the secrets' digest folded into the public hash: random per database, never
  // served, so a changed secret changes the ETag and nobody can test a guess against it.
  'CREATE TABLE policy_secret_key (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL);',
];
