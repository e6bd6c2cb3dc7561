// Fewer index pages per queue write. Every commit writes each page it touched to the WAL, and each
// status change touched two entries of jobs_status_seq (all of history, by status) besides the row.
// Now the queue's own moves (pending -> in_progress -> completed) touch only the small index of busy
// jobs, and the settled statuses a person filters for have their own. Open and completed jobs need
// no status index: open ones are the newest, and completed ones most of the history, so a filter for
// either walks the table newest first and fills a page at once.
export const sql = `
DROP INDEX jobs_status_seq;

-- Jobs being worked on, by site: the claim's "is this site busy?" and the leases to reconcile.
CREATE INDEX jobs_busy ON jobs (site_id) WHERE status IN ('in_progress', 'canceling');

-- Settled jobs that ask for attention, newest first per status.
CREATE INDEX jobs_settled ON jobs (status, seq) WHERE status IN ('failed', 'canceled', 'unknown', 'reverted');
`
