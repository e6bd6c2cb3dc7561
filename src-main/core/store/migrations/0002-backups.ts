// Backups are text exports on disk; this table records each one's hash, so a file edited on disk is
// detected instead of trusted, and which job took it.
export const sql = /* sql */ `
CREATE TABLE backups (
  path       TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  job_id     TEXT
) STRICT;
CREATE INDEX backups_site ON backups (site_id, created_at);
`
