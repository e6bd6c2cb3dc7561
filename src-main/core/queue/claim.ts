// Claiming the next runnable job: one UPDATE ... RETURNING, so two workers (or two processes on one
// data folder) can never take the same job, and the lease is written in the same statement.
import type { Statement } from 'better-sqlite3'
import { isoAt } from '../clock'
import type { Db } from '../store/database'
import type { Job } from '../../contract/job-schema'
import { HELD_FOR_CANARY, type JobRow, jobReader } from '../store/job-store'
import { lanQueueTerm, OPEN_TERM } from '../store/job-status-indexes'

/**
 * What makes a pending job runnable now, besides its site being free: the claim's conditions on
 * the candidate row, one a line. The first three are jobs_queue's WHERE and its first two columns,
 * spelled as the index spells them (SQLite uses a partial index only for its verbatim WHERE, and an
 * expression column only for the same expression); a new rule, such as a maintenance window's
 * start, is one more line here.
 */
const RUNNABLE_NOW = [
  `candidate.${OPEN_TERM}`,
  "candidate.status = 'pending'",
  lanQueueTerm('candidate'),
  'candidate.next_attempt_at <= @now',
  // A batch's own limit (--concurrency): counted only for jobs that have one, from jobs_batch.
  `CASE WHEN candidate.batch_concurrency IS NULL THEN 1 ELSE (
     SELECT count(*) FROM jobs AS sibling
      WHERE sibling.batch_id = candidate.batch_id AND sibling.status IN ('in_progress', 'canceling')
   ) < candidate.batch_concurrency END`,
].join(' AND ')

export class JobClaimer {
  private readonly claimStatement: Statement
  private readonly claimedJob: (values: unknown[]) => Job
  private readonly renewStatement: Statement
  private readonly nextDueStatement: Statement
  private readonly statusStatement: Statement
  private readonly leasedElsewhereStatement: Statement

  constructor(db: Db) {
    // Runnable: pending, not the cloud's, due, and its site has no job running (one job at a time
    // per site: two scripts interleaving on one router is how configs get broken). Express first,
    // then oldest first. The subquery walks jobs_queue's pending LAN entries in exactly that order;
    // "is the site busy?" reads its running entries, a few at most.
    this.claimStatement = db.prepare(`
      UPDATE jobs
         SET status = 'in_progress', lease_owner = @owner, lease_expires_at = @expires,
             attempts = attempts + 1, started_at = @now_iso, updated_at = @now_iso
       WHERE seq = (
         SELECT candidate.seq FROM jobs AS candidate INDEXED BY jobs_queue
          WHERE ${RUNNABLE_NOW}
            AND NOT EXISTS (
              SELECT 1 FROM jobs AS busy INDEXED BY jobs_queue
               WHERE busy.${OPEN_TERM} AND busy.status IN ('in_progress', 'canceling') AND busy.site_id = candidate.site_id)
          ORDER BY candidate.express_execute DESC, candidate.seq
          LIMIT 1)
      RETURNING *`)
    this.claimedJob = jobReader(this.claimStatement)
    // Renewing also reads the status, so a cancel written by another process reaches the worker.
    this.renewStatement = db.prepare(`
      UPDATE jobs SET lease_expires_at = @expires
       WHERE id = @id AND lease_owner = @owner RETURNING status`)
    this.statusStatement = db.prepare('SELECT status FROM jobs WHERE id = ?').pluck()
    this.leasedElsewhereStatement = db.prepare(
      `SELECT * FROM jobs WHERE ${OPEN_TERM} AND status IN ('in_progress', 'canceling') AND lease_owner IS NOT NULL AND lease_owner <> ?`,
    )
    this.nextDueStatement = db.prepare(`
      SELECT min(next_attempt_at) AS due FROM jobs INDEXED BY jobs_backoff
       WHERE status = 'pending' AND next_attempt_at > 0 AND next_attempt_at > @now AND next_attempt_at < ${HELD_FOR_CANARY}
         AND route <> 'cloud' AND sync_state = 'local'`)
  }

  /** The next runnable job, now leased to `owner`; undefined when nothing is runnable. */
  claim(owner: string, nowMs: number, leaseMs: number): Job | undefined {
    const row = this.claimStatement.get({ owner, now: nowMs, now_iso: isoAt(nowMs), expires: nowMs + leaseMs }) as
      | unknown[]
      | undefined
    return row && this.claimedJob(row)
  }

  /** Extends a held lease; undefined means it is no longer ours. */
  renew(id: string, owner: string, expiresMs: number): { status: string } | undefined {
    return this.renewStatement.get({ id, owner, expires: expiresMs }) as { status: string } | undefined
  }

  /** A job's status as stored now (a cancel from another process shows here first). */
  statusOf(id: string): string | undefined {
    return this.statusStatement.get(id) as string | undefined
  }

  /** Running jobs whose lease another owner holds (reconcile.ts decides which were abandoned). */
  leasedElsewhere(currentOwner: string): JobRow[] {
    return this.leasedElsewhereStatement.all(currentOwner) as JobRow[]
  }

  /** When the next job waiting out a backoff becomes due, if any. */
  nextDueAt(nowMs: number): number | undefined {
    const row = this.nextDueStatement.get({ now: nowMs }) as { due: number | null }
    return row.due ?? undefined
  }
}
