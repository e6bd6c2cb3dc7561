// Fewer index pages per queue write. Every commit writes each page it touched to the WAL, and each
// status change touched two entries of jobs_status_seq (all of history, by status) besides the row.
// Now the queue's own moves (pending -> in_progress -> completed) touch only the small index of open
// jobs, and the settled statuses a person filters for have their own. Completed jobs, most of the
// history, need no status index: a filter for them walks the table newest first and fills a page at
// once. Queries select these partial indexes by repeating their WHERE terms (job-status-indexes.ts).
export const sql = `
DROP INDEX jobs_status_seq;

-- Open jobs by status and site: "is this site busy?" is one seek, and the counts of waiting and
-- running jobs, the leases to reconcile and the history's open filters read only open jobs.
CREATE INDEX jobs_open ON jobs (status, site_id) WHERE status IN ('pending', 'in_progress', 'canceling');

-- Settled jobs that ask for attention, newest first per status.
CREATE INDEX jobs_settled ON jobs (status, seq) WHERE status IN ('failed', 'canceled', 'unknown', 'reverted');

-- A batch's progress is counted after each of its jobs finishes: by status, from the index alone.
DROP INDEX jobs_batch;
CREATE INDEX jobs_batch ON jobs (batch_id, status) WHERE batch_id IS NOT NULL;
`
