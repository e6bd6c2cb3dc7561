// One index for the queue instead of two. A new job was written to jobs_runnable (pending LAN jobs,
// in claim order) and to jobs_open (open jobs by status and site), so each enqueue wrote one index
// more than it needed: 7 b-trees per commit, about a tenth of an enqueue (the service's create, side
// by side in one script: 0.57 -> 0.67 of SQLite's floor). jobs_queue holds every open job once, ordered so that the claim walks the
// runnable ones (pending and the LAN's) express first and oldest first, and a running job's site is
// found among the few running entries. Queries select it by repeating its WHERE term and, for the
// claim, its expression column verbatim (job-status-indexes.ts).
export const sql = `
DROP INDEX jobs_runnable;
DROP INDEX jobs_open;
CREATE INDEX jobs_queue ON jobs (status, (route <> 'cloud' AND sync_state = 'local'), express_execute DESC, seq, site_id)
  WHERE status IN ('pending', 'in_progress', 'canceling');
`
