// Sites, jobs and the queue's indexes. Shipped migrations are never edited: the runner records each
// one's SHA-256 and refuses a database whose recorded hash differs.
export const sql = /* sql */ `
CREATE TABLE sites (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  host               TEXT NOT NULL,
  api_port           INTEGER NOT NULL,
  tls                INTEGER NOT NULL DEFAULT 0,
  username           TEXT NOT NULL,
  secret_ref         TEXT NOT NULL,
  cloud_site_id      TEXT,
  code_page          TEXT NOT NULL DEFAULT 'auto',
  allow_anonymous_dh INTEGER NOT NULL DEFAULT 0,
  tls_fingerprint    TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE jobs (
  -- Creation order. An alias of the rowid, so "newest first" walks an index and never sorts.
  seq                   INTEGER PRIMARY KEY,
  id                    TEXT NOT NULL UNIQUE,
  token                 TEXT NOT NULL UNIQUE,
  site_id               TEXT NOT NULL REFERENCES sites(id),
  idempotency_key       TEXT NOT NULL UNIQUE,
  payload_hash          TEXT NOT NULL,
  description           TEXT NOT NULL,
  script                TEXT NOT NULL,
  express_execute       INTEGER NOT NULL,
  needs_acknowledgement INTEGER NOT NULL,
  should_backup         INTEGER NOT NULL,
  associated_backup     TEXT,
  created_at            TEXT NOT NULL,
  started_at            TEXT,
  completed_at          TEXT,
  failed_at             TEXT,
  log_url               TEXT,
  status                TEXT NOT NULL,
  route                 TEXT NOT NULL,
  ran_route             TEXT,
  attempts              INTEGER NOT NULL DEFAULT 0,
  -- Milliseconds since the epoch; 0 means now. Integers, so the claim compares numbers.
  next_attempt_at       INTEGER NOT NULL DEFAULT 0,
  lease_owner           TEXT,
  lease_expires_at      INTEGER,
  error_message         TEXT,
  error_category        TEXT,
  error_line            INTEGER,
  error_column          INTEGER,
  output                TEXT,
  cancel_requested_at   TEXT,
  canceled_at           TEXT,
  cancel_refused_reason TEXT,
  cloud_job_id          TEXT,
  sync_state            TEXT NOT NULL DEFAULT 'local',
  sync_attempts         INTEGER NOT NULL DEFAULT 0,
  next_sync_at          INTEGER NOT NULL DEFAULT 0,
  synced_at             TEXT,
  revert_after_s        INTEGER,
  batch_id              TEXT,
  updated_at            TEXT NOT NULL
) STRICT;

-- The claim reads only runnable rows, in the order it takes them: express first, then oldest.
CREATE INDEX jobs_runnable ON jobs (express_execute DESC, seq) WHERE status = 'pending' AND route <> 'cloud' AND sync_state = 'local';
-- Jobs waiting out a backoff, so "when is the next one due?" is one index seek, not a scan.
CREATE INDEX jobs_backoff ON jobs (next_attempt_at) WHERE status = 'pending' AND next_attempt_at > 0;
-- A site's history newest first (a status filter scans one site's rows, a few thousand at most).
CREATE INDEX jobs_site_seq ON jobs (site_id, seq);
-- The whole history filtered by status, newest first; also "is this site busy?" and leases to
-- reconcile, which read the few in_progress and canceling rows.
CREATE INDEX jobs_status_seq ON jobs (status, seq);
-- The cloud outbox: jobs with something to say to the cloud.
CREATE INDEX jobs_sync_due ON jobs (next_sync_at, seq) WHERE sync_state IN ('outbox', 'synced', 'cancel_pending');
CREATE INDEX jobs_batch ON jobs (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`
