// How many jobs wait for the cloud, for the status bar and `status:get`, read straight from the
// jobs table so it is right even when no sync engine runs in this process.
import type { Db } from '../store/database'

/** Jobs the cloud has not confirmed: in the outbox, sent without an answer, or a cancel to deliver. */
export function countWaitingToSync(db: Db): number {
  // `sync_state IN (...)` repeats jobs_sync_due's WHERE word for word, so SQLite uses that index.
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM jobs WHERE sync_state IN ('outbox', 'synced', 'cancel_pending')
         AND (sync_state <> 'synced' OR cloud_job_id IS NULL)`,
    )
    .get() as { n: number }
  return row.n
}
