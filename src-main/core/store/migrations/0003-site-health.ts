// Site health samples (a small time series per site, pruned to 7 days) and batch metadata (one script
// to many sites; the jobs carry batch_id already).
export const sql = /* sql */ `
CREATE TABLE site_health (
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  -- Milliseconds since the epoch, for range queries and pruning; at_iso for people.
  at_ms        INTEGER NOT NULL,
  at_iso       TEXT NOT NULL,
  online       INTEGER NOT NULL,
  identity     TEXT,
  version      TEXT,
  board        TEXT,
  cpu_load     REAL,
  free_memory  INTEGER,
  total_memory INTEGER,
  uptime       TEXT,
  error        TEXT
) STRICT;
CREATE INDEX site_health_site_at ON site_health (site_id, at_ms);
CREATE INDEX site_health_at ON site_health (at_ms);

CREATE TABLE batches (
  id                    TEXT PRIMARY KEY,
  description           TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  total                 INTEGER NOT NULL,
  stop_on_first_failure INTEGER NOT NULL,
  -- Set when the canary tripped: the first failed job and when the rest were canceled.
  stopped_at            TEXT,
  stopped_by_job_id     TEXT
) STRICT;
`
